// A mock of Anthropic's Messages API: `POST /v1/messages` (JSON and named-event SSE with `ping`),
// `POST /v1/messages/count_tokens`, `GET /v1/models`, api key (`x-api-key` or bearer) + `anthropic-version` checks, `request-id` headers, Anthropic error
// bodies (`{type:'error', error:{type, message}}`), 529 for overload and `retry-after` on 429.
// It calls a tool only when the request forces one or the user names it (mock-tools.ts).
import type { ServerResponse } from 'node:http';
import {
  applyTimingFault,
  countTokens,
  delay,
  lastUserText,
  splitIntoChunks,
  startMockServer,
  type MockBehaviour,
  type MockFault,
  type MockServer,
  type RecordedRequest,
} from './mock-server.ts';
import { mockToolCall, type MockToolChoice } from './mock-tools.ts';

export interface AnthropicMockOptions {
  /** When set, requests must carry it as `x-api-key`. */
  apiKey?: string;
  behaviour?: MockBehaviour;
  port?: number;
  /** Ids served by `GET /v1/models`. */
  models?: string[];
}

export interface AnthropicMock extends MockServer {
  /** The bytes of each answer to `POST /v1/messages`, in order, for byte-for-byte comparisons. */
  readonly sent: string[];
}

export const ANTHROPIC_MOCK_MODELS: readonly string[] = [
  'claude-sonnet-4-5',
  'claude-haiku-4-5',
  'claude-opus-4-1',
];

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

type Body = Record<string, unknown>;

interface MockAnswer {
  text: string;
  /** Asked for with `thinking`: a thinking block with a signature comes first. */
  thinking?: { thinking: string; signature: string };
  tool?: { id: string; name: string; arguments: string };
  inputTokens: number;
  outputTokens: number;
}

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function startAnthropicMock(
  options: AnthropicMockOptions = {},
): Promise<AnthropicMock> {
  let sequence = 0;
  const models = options.models ?? ANTHROPIC_MOCK_MODELS;
  const sent: string[] = [];
  const server = await startMockServer(
    async (request, response, mock) => {
      sequence++;
      const id = String(sequence).padStart(8, '0');
      response.setHeader('request-id', `req_mock${id}`);
      const path = request.url.split('?', 1)[0];
      if (options.apiKey !== undefined && !hasApiKey(request, options.apiKey)) {
        sendError(response, 401, 'authentication_error', 'invalid x-api-key');
      } else if (!request.headers['anthropic-version']) {
        sendError(response, 400, 'invalid_request_error', 'anthropic-version: header is required');
      } else if (request.method === 'POST' && path === '/v1/messages') {
        sent.push('');
        recordSent(response, sent, sent.length - 1);
        await handleMessages(request, response, mock, id);
      } else if (request.method === 'POST' && path === '/v1/messages/count_tokens') {
        countMessageTokens(request, response);
      } else if (request.method === 'GET' && path === '/v1/models') {
        sendModels(request, response, models);
      } else {
        sendError(response, 404, 'not_found_error', `Not found: ${request.method} ${path ?? ''}`);
      }
    },
    { port: options.port, behaviour: options.behaviour },
  );
  const reset = server.reset.bind(server);
  return Object.assign(server, {
    sent,
    reset() {
      reset();
      sent.length = 0;
    },
  });
}

/** Keeps a copy of every byte written to the response in `sent[slot]`. */
function recordSent(response: ServerResponse, sent: string[], slot: number): void {
  const write = response.write.bind(response);
  const end = response.end.bind(response);
  const keep = (chunk: unknown): void => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array)
      sent[slot] += Buffer.from(chunk).toString('utf8');
  };
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof response.write;
  response.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'function') keep(chunk);
    return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
  }) as typeof response.end;
}

/** `count_tokens`: the mock's word count of the prompt (system, messages and tools). */
function countMessageTokens(request: RecordedRequest, response: ServerResponse): void {
  const body = request.body;
  if (!isRecord(body) || !Array.isArray(body.messages) || typeof body.model !== 'string') {
    sendError(response, 400, 'invalid_request_error', 'model and messages: Field required');
    return;
  }
  const text = [
    ...contentText(body.system),
    ...body.messages.flatMap((message) => (isRecord(message) ? contentText(message.content) : [])),
    ...(Array.isArray(body.tools) ? [JSON.stringify(body.tools)] : []),
  ].join(' ');
  response.writeHead(200, JSON_HEADERS);
  response.end(JSON.stringify({ input_tokens: countTokens(text) }));
}

/** Anthropic takes the key as `x-api-key` or, from newer clients, as a bearer token. */
function hasApiKey(request: RecordedRequest, apiKey: string): boolean {
  return (
    request.headers['x-api-key'] === apiKey || request.headers.authorization === `Bearer ${apiKey}`
  );
}

function sendError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { ...JSON_HEADERS, ...headers });
  const requestId = response.getHeader('request-id');
  response.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId }));
}

/** Answers an error fault; returns false for faults that shape a 200 answer instead. */
function sendFault(fault: MockFault, response: ServerResponse, stream: boolean): boolean {
  switch (fault.kind) {
    case 'server-error':
      sendError(response, fault.status ?? 500, 'api_error', 'Internal server error');
      return true;
    case 'rate-limited':
      sendError(
        response,
        429,
        'rate_limit_error',
        'Number of request tokens has exceeded your per-minute rate limit. Please try again later.',
        {
          'retry-after': String(Math.ceil((fault.retryAfterMs ?? 1000) / 1000)),
        },
      );
      return true;
    case 'overloaded':
    case 'model-loading':
      sendError(response, 529, 'overloaded_error', 'Overloaded');
      return true;
    case 'auth':
      sendError(response, 401, 'authentication_error', 'invalid x-api-key');
      return true;
    case 'context-length':
      sendError(
        response,
        400,
        'invalid_request_error',
        'prompt is too long: 215312 tokens > 200000 maximum',
      );
      return true;
    case 'stream-error':
      // without a stream to carry it, the mid-generation failure is an HTTP error
      if (stream) return false;
      sendError(response, 529, 'overloaded_error', 'Overloaded');
      return true;
    default:
      return false;
  }
}

async function handleMessages(
  request: RecordedRequest,
  response: ServerResponse,
  mock: MockServer,
  id: string,
): Promise<void> {
  const fault = mock.takeFault();
  if (await applyTimingFault(fault, response)) return;
  await delay(mock.behaviour.latencyMs ?? 0);
  const body = request.body;
  const stream = isRecord(body) && body.stream === true;
  if (fault && sendFault(fault, response, stream)) return;
  const problem = validateMessagesBody(body);
  if (problem !== undefined || !isRecord(body)) {
    sendError(response, 400, 'invalid_request_error', problem ?? 'body must be a JSON object');
    return;
  }
  if (fault?.kind === 'garbage') {
    response.writeHead(200, stream ? SSE_HEADERS : JSON_HEADERS);
    response.end(
      stream
        ? '\u0000\u0007<html>proxy error</html>\ndata: {not json\n\n'
        : '<html><body>502 Bad Gateway</body></html>',
    );
    return;
  }
  const answer = answerFor(body, mock.behaviour, id);
  const model = String(body.model);
  if (stream) {
    await streamAnswer(response, answer, model, id, mock.behaviour, fault);
    return;
  }
  const json = JSON.stringify(messageFor(answer, model, id));
  if (fault?.kind === 'cut-stream') {
    response.writeHead(200, JSON_HEADERS);
    response.write(json.slice(0, Math.floor(json.length / 2)), () => response.destroy());
    return;
  }
  response.writeHead(200, JSON_HEADERS);
  response.end(json);
}

function validateMessagesBody(body: unknown): string | undefined {
  if (!isRecord(body)) return 'There was an issue with the request body: not valid JSON';
  if (typeof body.model !== 'string' || body.model.length === 0) return 'model: Field required';
  if (
    typeof body.max_tokens !== 'number' ||
    !Number.isInteger(body.max_tokens) ||
    body.max_tokens < 1
  )
    return 'max_tokens: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return 'messages: at least one message is required';
  for (const [index, message] of body.messages.entries()) {
    // `system` entries inside messages are what Claude Code sends, and what the API takes
    if (!isRecord(message) || !['user', 'assistant', 'system'].includes(String(message.role))) {
      return `messages.${index}.role: Input should be 'user', 'assistant' or 'system'`;
    }
  }
  return undefined;
}

/** Text of a content value: a string, or text blocks and tool results inside block arrays. */
function contentText(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  const texts: string[] = [];
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (typeof block.text === 'string') texts.push(block.text);
    else if (block.type === 'tool_result') texts.push(...contentText(block.content));
  }
  return texts;
}

function isToolResultTurn(message: unknown): boolean {
  return (
    isRecord(message) &&
    Array.isArray(message.content) &&
    message.content.every((block) => isRecord(block) && block.type === 'tool_result')
  );
}

function answerFor(body: Body, behaviour: MockBehaviour, id: string): MockAnswer {
  const messages = body.messages as unknown[];
  const promptText = [
    ...contentText(body.system),
    ...messages.flatMap((message) => (isRecord(message) ? contentText(message.content) : [])),
  ];
  const inputTokens = countTokens(promptText.join(' '));
  // tool results sit in user turns here; the user's own words are in the last turn that is not one
  const userText = lastUserText(messages.filter((message) => !isToolResultTurn(message)));
  const toolName = mockToolCall({
    offered: offeredTools(body),
    choice: toolChoice(body),
    userText,
    endsWithToolResult: isToolResultTurn(messages.at(-1)),
  });
  // with thinking on, a signed thinking block opens the answer, tool call or text
  const thinking = wantsThinking(body)
    ? { thinking: `Thinking about: ${userText}`, signature: `sig_mock${id}==` }
    : undefined;
  if (toolName !== undefined) {
    const args = JSON.stringify({ input: userText });
    return {
      text: '',
      ...(thinking ? { thinking } : {}),
      tool: { id: `toolu_mock${id}`, name: toolName, arguments: args },
      inputTokens,
      outputTokens: countTokens(args),
    };
  }
  const text = behaviour.reply ?? `Echo: ${userText}`;
  return {
    text,
    ...(thinking ? { thinking } : {}),
    inputTokens,
    outputTokens: countTokens(text) + (thinking ? countTokens(thinking.thinking) : 0),
  };
}

function wantsThinking(body: Body): boolean {
  return isRecord(body.thinking) && ['enabled', 'adaptive'].includes(String(body.thinking.type));
}

function offeredTools(body: Body): string[] {
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  return tools.flatMap((tool) => (typeof tool.name === 'string' ? [tool.name] : []));
}

/** `tool_choice`: `auto` (the default), `none`, `any`, or `{type: 'tool', name}`. */
function toolChoice(body: Body): MockToolChoice {
  const choice = isRecord(body.tool_choice) ? body.tool_choice : undefined;
  if (choice?.type === 'none') return 'none';
  if (choice?.type === 'any') return 'required';
  if (choice?.type === 'tool' && typeof choice.name === 'string') return { name: choice.name };
  return 'auto';
}

function usageFor(answer: MockAnswer, outputTokens: number) {
  return {
    input_tokens: answer.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
  };
}

function messageFor(answer: MockAnswer, model: string, id: string) {
  return {
    id: `msg_mock${id}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [
      ...(answer.thinking ? [{ type: 'thinking', ...answer.thinking }] : []),
      answer.tool
        ? {
            type: 'tool_use',
            id: answer.tool.id,
            name: answer.tool.name,
            input: JSON.parse(answer.tool.arguments) as unknown,
          }
        : { type: 'text', text: answer.text },
    ],
    stop_reason: answer.tool ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: usageFor(answer, answer.outputTokens),
  };
}

function sse(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** A whole thinking block at index 0: its text, then its signature. */
function thinkingBlock(thinking: { thinking: string; signature: string }): string {
  return (
    sse('content_block_start', {
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    }) +
    sse('content_block_delta', {
      index: 0,
      delta: { type: 'thinking_delta', thinking: thinking.thinking },
    }) +
    sse('content_block_delta', {
      index: 0,
      delta: { type: 'signature_delta', signature: thinking.signature },
    }) +
    sse('content_block_stop', { index: 0 })
  );
}

function writeFlushed(response: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => response.write(text, () => resolve()));
}

async function streamAnswer(
  response: ServerResponse,
  answer: MockAnswer,
  model: string,
  id: string,
  behaviour: MockBehaviour,
  fault: MockFault | undefined,
): Promise<void> {
  const start = {
    ...messageFor(answer, model, id),
    content: [],
    stop_reason: null,
    usage: usageFor(answer, 1),
  };
  const thinking = answer.thinking;
  const index = thinking ? 1 : 0;
  const head =
    sse('message_start', { message: start }) +
    (thinking ? thinkingBlock(thinking) : '') +
    sse('content_block_start', {
      index,
      content_block: answer.tool
        ? { type: 'tool_use', id: answer.tool.id, name: answer.tool.name, input: {} }
        : { type: 'text', text: '' },
    }) +
    sse('ping', {});
  const pieces = splitIntoChunks(
    answer.tool ? answer.tool.arguments : answer.text,
    behaviour.streamChunks ?? 4,
  );
  const deltas = pieces.map((piece) =>
    sse('content_block_delta', {
      index,
      delta: answer.tool
        ? { type: 'input_json_delta', partial_json: piece }
        : { type: 'text_delta', text: piece },
    }),
  );
  const tail =
    sse('content_block_stop', { index }) +
    sse('message_delta', {
      delta: { stop_reason: answer.tool ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: answer.outputTokens },
    }) +
    sse('message_stop', {});
  const interval = behaviour.chunkIntervalMs ?? 0;
  const cutAfter = fault?.kind === 'cut-stream' ? fault.afterChunks : undefined;
  const errorAfter = fault?.kind === 'stream-error' ? fault.afterChunks : undefined;

  response.writeHead(200, SSE_HEADERS);
  if (interval === 0 && cutAfter === undefined && errorAfter === undefined) {
    response.end(head + deltas.join('') + tail);
    return;
  }
  await writeFlushed(response, head);
  const sent = Math.min(cutAfter ?? errorAfter ?? deltas.length, deltas.length);
  for (const [index, delta] of deltas.slice(0, sent).entries()) {
    if (index > 0) await delay(interval);
    if (response.destroyed) return;
    await writeFlushed(response, delta);
  }
  if (cutAfter !== undefined) response.destroy();
  else if (errorAfter !== undefined)
    response.end(sse('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }));
  else response.end(tail);
}

function sendModels(
  request: RecordedRequest,
  response: ServerResponse,
  models: readonly string[],
): void {
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 20) || 20));
  const afterId = query.get('after_id');
  const start = afterId === null ? 0 : models.indexOf(afterId) + 1;
  const page = models.slice(start, start + limit);
  response.writeHead(200, JSON_HEADERS);
  response.end(
    JSON.stringify({
      data: page.map((id) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: '2025-01-01T00:00:00Z',
      })),
      has_more: start + limit < models.length,
      first_id: page[0] ?? null,
      last_id: page[page.length - 1] ?? null,
    }),
  );
}
