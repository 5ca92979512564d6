// The legacy Completions endpoint (`POST /v1/completions`) of the OpenAI-shaped mocks, as vLLM,
// LocalAI, llama.cpp servers and OpenAI's instruct models serve it: `prompt` as a string or
// strings, `echo`, `suffix`, `n`, `logprobs`, streamed (`text_completion` chunks, usage when
// asked, `[DONE]`) or not. The answer is `Echo: <prompt>` unless the behaviour sets a reply.
import type { ServerResponse } from 'node:http';
import {
  applyTimingFault,
  countTokens,
  delay,
  splitIntoChunks,
  type MockFault,
  type MockServer,
  type RecordedRequest,
} from './mock-server.ts';

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface OpenAICompletionsMockContext {
  request: RecordedRequest;
  response: ServerResponse;
  mock: MockServer;
  models: readonly string[] | undefined;
  headers: Record<string, string>;
  send: (response: ServerResponse, answer: Answer, headers: Record<string, string>) => void;
  faultAnswer: (fault: MockFault) => Answer | undefined;
  modelNotFound: (model: string, deployment: boolean) => Answer;
  invalid: (message: string, param: string) => Answer;
}

/** Whether a path is a legacy completions endpoint. */
export function isOpenAICompletionsPath(path: string): boolean {
  return path === '/v1/completions' || path === '/openai/v1/completions';
}

type JsonObject = Record<string, unknown>;

function promptsOf(prompt: unknown): string[] | undefined {
  if (typeof prompt === 'string') return [prompt];
  if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((p) => typeof p === 'string'))
    return prompt;
  return undefined;
}

/** The text the mock completes a prompt with. */
export function mockCompletionText(prompt: string, reply?: string): string {
  return reply ?? `Echo: ${prompt}`;
}

function choicesFor(body: JsonObject, prompts: string[], reply: string | undefined) {
  const n = typeof body.n === 'number' ? body.n : 1;
  const logprobs = typeof body.logprobs === 'number';
  return prompts.flatMap((prompt, promptIndex) =>
    Array.from({ length: n }, (_, copy) => {
      const text = (body.echo === true ? prompt : '') + mockCompletionText(prompt, reply);
      return {
        text,
        index: promptIndex * n + copy,
        logprobs: logprobs
          ? {
              tokens: text.split(' '),
              token_logprobs: text.split(' ').map(() => -0.5),
              top_logprobs: null,
              text_offset: [],
            }
          : null,
        finish_reason: 'stop',
      };
    }),
  );
}

export async function serveOpenAICompletions(context: OpenAICompletionsMockContext): Promise<void> {
  const { request, response, mock, headers, send } = context;
  const body = (request.body ?? {}) as JsonObject;
  const model = typeof body.model === 'string' ? body.model : '';
  if (context.models && !context.models.includes(model))
    return send(response, context.modelNotFound(model, false), headers);
  const prompts = promptsOf(body.prompt);
  if (!prompts)
    return send(response, context.invalid("'prompt' is a required property", 'prompt'), headers);
  const fault = mock.takeFault();
  if (await applyTimingFault(fault, response)) return;
  await delay(mock.behaviour.latencyMs ?? 0);
  const faultResponse = fault ? context.faultAnswer(fault) : undefined;
  if (faultResponse) return send(response, faultResponse, headers);
  const choices = choicesFor(body, prompts, mock.behaviour.reply);
  const promptTokens = prompts.reduce((sum, prompt) => sum + countTokens(prompt), 0);
  const completionTokens = choices.reduce((sum, choice) => sum + countTokens(choice.text), 0);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const base = {
    id: `cmpl-mock${mock.requests.length}`,
    object: 'text_completion',
    created: 1_700_000_000,
    model,
  };
  if (body.stream !== true)
    return send(response, { status: 200, body: { ...base, choices, usage } }, headers);
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', ...headers });
  const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
  for (const choice of choices) {
    for (const piece of splitIntoChunks(choice.text, mock.behaviour.streamChunks ?? 4))
      response.write(
        frame({
          ...base,
          choices: [{ text: piece, index: choice.index, logprobs: null, finish_reason: null }],
        }),
      );
    response.write(
      frame({
        ...base,
        choices: [{ text: '', index: choice.index, logprobs: null, finish_reason: 'stop' }],
      }),
    );
  }
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  if (options?.include_usage === true) response.write(frame({ ...base, choices: [], usage }));
  response.end('data: [DONE]\n\n');
}
