// A mock OpenAI Chat Completions server, in the flavours of the servers that speak it: OpenAI,
// Azure OpenAI (deployment and v1 paths, `api-key` auth, content-filter annotations), LM Studio,
// Ollama, vLLM and LocalAI (their health routes, error shapes and "model loading" answers), and
// the Responses API (openai-responses-mock.ts) at `/v1/responses` and Azure's `/openai/v1/responses`.
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
import { createResponsesMock, responsesSubpath } from './openai-responses-mock.ts';
import { openAIEmbeddingsPath, serveOpenAIEmbeddings } from './openai-embeddings-mock.ts';
import { isOpenAICompletionsPath, serveOpenAICompletions } from './openai-completions-mock.ts';

export type OpenAIMockFlavor = 'openai' | 'azure' | 'lmstudio' | 'ollama' | 'vllm' | 'localai';

export type OpenAIMockContentFilter = 'prompt' | 'completion';

export interface OpenAIMockOptions {
  /** When set, requests must carry it (`Authorization: Bearer`, or Azure's `api-key`). */
  apiKey?: string;
  flavor?: OpenAIMockFlavor;
  /** The models (Azure: deployments) served; when given, other names get the vendor's not-found answer. */
  models?: string[];
  behaviour?: MockBehaviour;
  port?: number;
  /** Content filtering as Azure applies it: reject the prompt (400) or stop the completion. */
  contentFilter?: OpenAIMockContentFilter;
}

export interface OpenAIMock extends MockServer {
  readonly flavor: OpenAIMockFlavor;
  contentFilter: OpenAIMockContentFilter | undefined;
}

interface VendorAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type JsonObject = Record<string, unknown>;

/** What a successful answer says, before it is written as JSON or as stream chunks. */
interface Answer {
  id: string;
  callId: string;
  created: number;
  model: string;
  text: string;
  tool: string | undefined;
  args: string;
  finishReason: string;
  filtered: boolean;
  usage: JsonObject;
  /** The `reasoning_content` of the local servers that show their reasoning. */
  reasoning?: string;
}

/** Local servers that answer a `reasoning_effort` with `reasoning_content` (DeepSeek style). */
const REASONING_FLAVORS: ReadonlySet<OpenAIMockFlavor> = new Set(['lmstudio', 'vllm', 'ollama']);

const DEFAULT_MODELS = ['mock-model'];
const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;
const HEALTH_PATHS = new Set(['/health', '/healthz', '/readyz']);
const OWNERS: Record<OpenAIMockFlavor, string> = {
  openai: 'system',
  azure: 'system',
  lmstudio: 'organization_owner',
  ollama: 'library',
  vllm: 'vllm',
  localai: 'localai',
};
/** vLLM names its error types after the exception behind the status. */
const VLLM_ERROR_TYPES: Record<number, string> = {
  400: 'BadRequestError',
  401: 'Unauthorized',
  404: 'NotFoundError',
  429: 'RateLimitError',
  500: 'InternalServerError',
  503: 'ServiceUnavailableError',
};

const AZURE_SAFE = { filtered: false, severity: 'safe' };
const AZURE_NOT_DETECTED = { filtered: false, detected: false };
const AZURE_PROMPT_FILTER_RESULTS = [
  {
    prompt_index: 0,
    content_filter_results: {
      hate: AZURE_SAFE,
      jailbreak: AZURE_NOT_DETECTED,
      self_harm: AZURE_SAFE,
      sexual: AZURE_SAFE,
      violence: AZURE_SAFE,
    },
  },
];
const AZURE_CHOICE_FILTER_RESULTS = {
  hate: AZURE_SAFE,
  self_harm: AZURE_SAFE,
  sexual: AZURE_SAFE,
  violence: AZURE_SAFE,
};
const AZURE_FILTERED_CHOICE_RESULTS = {
  ...AZURE_CHOICE_FILTER_RESULTS,
  violence: { filtered: true, severity: 'high' },
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content)
    if (isObject(part) && typeof part.text === 'string') text += part.text;
  return text;
}

/** Every message's text joined with spaces: what the input token count is taken from. */
function promptText(messages: unknown[]): string {
  return messages
    .map((message) => (isObject(message) ? messageText(message.content) : ''))
    .join(' ');
}

/** The tool the answer calls, by the rule every mock shares (mock-tools.ts). */
function calledTool(body: JsonObject, messages: unknown[]): string | undefined {
  const last = messages.at(-1);
  return mockToolCall({
    offered: offeredTools(body),
    choice: toolChoice(body.tool_choice),
    userText: lastUserText(messages),
    endsWithToolResult: isObject(last) && last.role === 'tool',
  });
}

function offeredTools(body: JsonObject): string[] {
  const tools = Array.isArray(body.tools) ? (body.tools as unknown[]) : [];
  return tools.flatMap((tool) =>
    isObject(tool) && isObject(tool.function) && typeof tool.function.name === 'string'
      ? [tool.function.name]
      : [],
  );
}

/** `tool_choice`: `auto` (the default), `none`, `required`, or `{type: 'function', function: {name}}`. */
function toolChoice(choice: unknown): MockToolChoice {
  if (choice === 'none' || choice === 'required') return choice;
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === 'string')
    return { name: choice.function.name };
  return 'auto';
}

function send(
  response: ServerResponse,
  answer: VendorAnswer,
  extraHeaders: Record<string, string>,
): void {
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json',
    ...extraHeaders,
    ...answer.headers,
  });
  response.end(text);
}

/**
 * Ends the connection mid-answer: whatever was written is flushed, then the socket closes without
 * the end of the HTTP body, as when an upstream dies.
 */
function cutConnection(response: ServerResponse): void {
  if (response.socket) response.socket.end();
  else response.destroy();
}

export async function startOpenAIMock(options: OpenAIMockOptions = {}): Promise<OpenAIMock> {
  const flavor = options.flavor ?? 'openai';
  const azure = flavor === 'azure';
  const models = options.models ?? DEFAULT_MODELS;
  const checkModels = options.models !== undefined;
  const bearer = options.apiKey === undefined ? undefined : `Bearer ${options.apiKey}`;
  let sequence = 0;
  let contentFilter = options.contentFilter;

  /** An error body in the flavour's shape. */
  function errorBody(
    status: number,
    message: string,
    type: string,
    code: string | null = null,
    param: string | null = null,
  ): unknown {
    if (flavor === 'vllm')
      return { error: { message, type: VLLM_ERROR_TYPES[status] ?? type, param, code: status } };
    if (flavor === 'localai') return { error: { code: status, message, type: '' } };
    if (flavor === 'ollama')
      return {
        error: {
          message,
          type: status >= 500 ? 'api_error' : 'invalid_request_error',
          param,
          code,
        },
      };
    return { error: { message, type, param, code } };
  }

  function unauthorized(azureAuth: boolean): VendorAnswer {
    if (azureAuth || azure) {
      return {
        status: 401,
        body: {
          error: {
            code: '401',
            message:
              'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
          },
        },
      };
    }
    if (flavor === 'vllm') return { status: 401, body: { error: 'Unauthorized' } };
    return {
      status: 401,
      body: errorBody(
        401,
        'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
        'invalid_request_error',
        'invalid_api_key',
      ),
    };
  }

  function authorized(request: RecordedRequest, azureAuth: boolean): boolean {
    if (bearer === undefined) return true;
    if (request.headers.authorization === bearer) return true;
    return azureAuth && request.headers['api-key'] === options.apiKey;
  }

  function modelNotFound(model: string, deployment: boolean): VendorAnswer {
    if (deployment) {
      return {
        status: 404,
        body: {
          error: {
            code: 'DeploymentNotFound',
            message:
              'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
          },
        },
      };
    }
    if (flavor === 'ollama')
      return {
        status: 404,
        body: errorBody(404, `model "${model}" not found, try pulling it first`, 'api_error'),
      };
    if (flavor === 'vllm')
      return {
        status: 404,
        body: errorBody(404, `The model \`${model}\` does not exist.`, 'NotFoundError'),
      };
    if (flavor === 'lmstudio')
      return {
        status: 404,
        body: errorBody(
          404,
          `Model "${model}" not found. Please specify a valid model.`,
          'invalid_request_error',
          'model_not_found',
          'model',
        ),
      };
    return {
      status: 404,
      body: errorBody(
        404,
        `The model \`${model}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        'model_not_found',
      ),
    };
  }

  function rateLimited(retryAfterMs: number): VendorAnswer {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    const headers = { 'retry-after': String(seconds), 'retry-after-ms': String(retryAfterMs) };
    if (azure) {
      return {
        status: 429,
        headers,
        body: {
          error: {
            code: '429',
            message: `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${seconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
          },
        },
      };
    }
    return {
      status: 429,
      headers: {
        ...headers,
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': `${retryAfterMs}ms`,
      },
      body: errorBody(
        429,
        `Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${retryAfterMs}ms.`,
        'requests',
        'rate_limit_exceeded',
      ),
    };
  }

  function serverError(status: number): VendorAnswer {
    return {
      status,
      body: errorBody(
        status,
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
      ),
    };
  }

  function overloaded(): VendorAnswer {
    if (azure)
      return {
        status: 503,
        body: {
          error: {
            code: 'ServiceUnavailable',
            message:
              'The service is temporarily unable to process your request. Please try again later.',
          },
        },
      };
    if (flavor === 'ollama')
      return {
        status: 503,
        body: errorBody(
          503,
          'server busy, please try again.  maximum pending requests exceeded',
          'api_error',
        ),
      };
    return {
      status: 503,
      body: errorBody(
        503,
        'The server is overloaded or not ready yet.',
        'server_error',
        flavor === 'openai' ? 'server_is_overloaded' : null,
      ),
    };
  }

  function contextLength(): VendorAnswer {
    switch (flavor) {
      case 'lmstudio':
        return {
          status: 400,
          body: errorBody(
            400,
            'The number of tokens to keep from the initial prompt is greater than the context length. Try to load the model with a larger context length, or provide a shorter input',
            'invalid_request_error',
          ),
        };
      case 'ollama':
        return {
          status: 400,
          body: errorBody(
            400,
            'the input length exceeds the context length',
            'invalid_request_error',
          ),
        };
      case 'localai':
        return {
          status: 400,
          body: errorBody(
            400,
            'the request exceeds the available context size, try increasing it',
            'exceed_context_size_error',
          ),
        };
      case 'vllm':
        return {
          status: 400,
          body: errorBody(
            400,
            "This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (4096 in the messages, 1024 in the completion). Please reduce the length of the messages or completion.",
            'BadRequestError',
          ),
        };
      default:
        return {
          status: 400,
          body: errorBody(
            400,
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 128512 tokens. Please reduce the length of the messages.",
            'invalid_request_error',
            'context_length_exceeded',
            'messages',
          ),
        };
    }
  }

  function modelLoading(): VendorAnswer {
    switch (flavor) {
      case 'lmstudio':
        return {
          status: 400,
          body: {
            error: {
              message:
                "No models loaded. Please load a model in the developer page or use the 'lms load' command.",
            },
          },
        };
      case 'ollama':
        return {
          status: 500,
          body: errorBody(500, 'unexpected server status: llm server loading model', 'api_error'),
        };
      case 'localai':
        return {
          status: 500,
          body: errorBody(
            500,
            'could not load model: rpc error: code = Unavailable desc = error reading from server: EOF',
            '',
          ),
        };
      default:
        // llama.cpp's server answer, which servers built on it pass through.
        return {
          status: 503,
          body: { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } },
        };
    }
  }

  function promptFiltered(): VendorAnswer {
    return {
      status: 400,
      body: {
        error: {
          message:
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
          type: null,
          param: 'prompt',
          code: 'content_filter',
          status: 400,
          innererror: {
            code: 'ResponsibleAIPolicyViolation',
            content_filter_result: {
              ...AZURE_CHOICE_FILTER_RESULTS,
              jailbreak: { filtered: true, detected: true },
            },
          },
        },
      },
    };
  }

  /** The error answer for a fault, or undefined for faults that shape the body instead. */
  function faultAnswer(fault: MockFault, stream: boolean): VendorAnswer | undefined {
    switch (fault.kind) {
      case 'server-error':
        return serverError(fault.status ?? 500);
      case 'rate-limited':
        return rateLimited(fault.retryAfterMs ?? 1000);
      case 'overloaded':
        return overloaded();
      case 'auth':
        return unauthorized(false);
      case 'context-length':
        return contextLength();
      case 'model-loading':
        return modelLoading();
      case 'stream-error':
        return stream ? undefined : serverError(500);
      default:
        return undefined;
    }
  }

  function listModels(): VendorAnswer {
    const data = models.map((id) => ({
      id,
      object: 'model',
      created: 1_700_000_000,
      owned_by: OWNERS[flavor],
      ...(flavor === 'vllm' ? { root: id, parent: null, max_model_len: 8192 } : {}),
    }));
    return { status: 200, body: { object: 'list', data } };
  }

  function ollamaTags(): VendorAnswer {
    const tags = models.map((name) => ({
      name,
      model: name,
      modified_at: '2025-01-01T00:00:00Z',
      size: 0,
      digest: '',
      details: {
        format: 'gguf',
        family: '',
        families: null,
        parameter_size: '',
        quantization_level: '',
      },
    }));
    return { status: 200, body: { models: tags } };
  }

  async function chat(
    request: RecordedRequest,
    response: ServerResponse,
    mock: MockServer,
    model: string | undefined,
    deployment: boolean,
    headers: Record<string, string>,
  ): Promise<void> {
    const id = `chatcmpl-mock${sequence}`;
    const callId = `call_mock${sequence}`;
    const body = request.body;
    if (!isObject(body) || !Array.isArray(body.messages)) {
      send(
        response,
        {
          status: 400,
          body: errorBody(
            400,
            "'messages' is a required property",
            'invalid_request_error',
            null,
            'messages',
          ),
        },
        headers,
      );
      return;
    }
    const requested = model ?? (typeof body.model === 'string' ? body.model : '');
    if (checkModels && !models.includes(requested)) {
      send(response, modelNotFound(requested, deployment), headers);
      return;
    }
    const stream = body.stream === true;
    const fault = mock.takeFault();
    if (await applyTimingFault(fault, response)) return;
    await delay(mock.behaviour.latencyMs ?? 0);
    if (response.destroyed) return;
    const faultResponse = fault ? faultAnswer(fault, stream) : undefined;
    if (faultResponse) {
      send(response, faultResponse, headers);
      return;
    }
    if (contentFilter === 'prompt') {
      send(response, promptFiltered(), headers);
      return;
    }
    if (fault?.kind === 'garbage') {
      if (stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', ...headers });
        response.end('data: {"id":"chatcmpl-garbage","object":\u0000\u0001 not json\n\n');
      } else {
        response.writeHead(200, { 'content-type': 'application/json', ...headers });
        response.end(
          '<html><head><title>502 Bad Gateway</title></head><body>upstream</body></html>',
        );
      }
      return;
    }

    const messages = body.messages as unknown[];
    const tool = calledTool(body, messages);
    const userText = lastUserText(messages);
    const text = tool === undefined ? (mock.behaviour.reply ?? `Echo: ${userText}`) : '';
    const args = tool === undefined ? '' : JSON.stringify({ input: userText });
    const filtered = contentFilter === 'completion';
    const finishReason = filtered ? 'content_filter' : tool === undefined ? 'stop' : 'tool_calls';
    const promptTokens = countTokens(promptText(messages));
    const reasoning =
      REASONING_FLAVORS.has(flavor) &&
      typeof body.reasoning_effort === 'string' &&
      body.reasoning_effort !== 'none' &&
      tool === undefined
        ? `Thinking about: ${userText}`
        : undefined;
    const reasoningTokens = reasoning === undefined ? 0 : countTokens(reasoning);
    const completionTokens = countTokens(tool === undefined ? text : args) + reasoningTokens;
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: reasoningTokens,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
    const created = Math.floor(Date.now() / 1000);
    const answer: Answer = {
      id,
      callId,
      created,
      model: requested,
      text,
      tool,
      args,
      finishReason,
      filtered,
      usage,
      ...(reasoning !== undefined ? { reasoning } : {}),
    };
    if (stream) {
      const includeUsage =
        isObject(body.stream_options) && body.stream_options.include_usage === true;
      await writeStream(response, answer, {
        includeUsage,
        fault,
        headers,
        behaviour: mock.behaviour,
      });
    } else if (fault?.kind === 'cut-stream') {
      response.writeHead(200, { 'content-type': 'application/json', ...headers });
      const full = JSON.stringify(completion(answer));
      response.write(full.slice(0, Math.floor(full.length / 2)));
      cutConnection(response);
    } else {
      send(response, { status: 200, body: completion(answer) }, headers);
    }
  }

  function completion(answer: Answer): JsonObject {
    const message: JsonObject =
      answer.tool === undefined
        ? {
            role: 'assistant',
            content: answer.filtered ? null : answer.text,
            refusal: null,
            annotations: [],
            ...(answer.reasoning !== undefined ? { reasoning_content: answer.reasoning } : {}),
          }
        : {
            role: 'assistant',
            content: null,
            refusal: null,
            annotations: [],
            tool_calls: [
              {
                id: answer.callId,
                type: 'function',
                function: { name: answer.tool, arguments: answer.args },
              },
            ],
          };
    const choice: JsonObject = {
      index: 0,
      message,
      logprobs: null,
      finish_reason: answer.finishReason,
    };
    if (azure)
      choice.content_filter_results = answer.filtered
        ? AZURE_FILTERED_CHOICE_RESULTS
        : AZURE_CHOICE_FILTER_RESULTS;
    return {
      id: answer.id,
      object: 'chat.completion',
      created: answer.created,
      model: answer.model,
      choices: [choice],
      usage: answer.usage,
      ...(azure
        ? { prompt_filter_results: AZURE_PROMPT_FILTER_RESULTS }
        : { service_tier: 'default' }),
      system_fingerprint: 'fp_mock',
    };
  }

  async function writeStream(
    response: ServerResponse,
    answer: Answer,
    {
      includeUsage,
      fault,
      headers,
      behaviour,
    }: {
      includeUsage: boolean;
      fault: MockFault | undefined;
      headers: Record<string, string>;
      behaviour: MockBehaviour;
    },
  ): Promise<void> {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...headers,
    });
    const frame = (choices: unknown[], extra?: JsonObject): string =>
      `data: ${JSON.stringify({
        id: answer.id,
        object: 'chat.completion.chunk',
        created: answer.created,
        model: answer.model,
        system_fingerprint: 'fp_mock',
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      })}\n\n`;
    const filterResults = azure ? { content_filter_results: AZURE_CHOICE_FILTER_RESULTS } : {};
    const delta = (value: JsonObject, finishReason: string | null = null): JsonObject => ({
      index: 0,
      delta: value,
      logprobs: null,
      finish_reason: finishReason,
      ...filterResults,
    });

    if (azure)
      response.write(
        `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: AZURE_PROMPT_FILTER_RESULTS })}\n\n`,
      );
    const role =
      answer.tool === undefined
        ? { role: 'assistant', content: '', refusal: null }
        : {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              {
                index: 0,
                id: answer.callId,
                type: 'function',
                function: { name: answer.tool, arguments: '' },
              },
            ],
          };
    response.write(frame([delta(role)]));
    if (answer.reasoning !== undefined)
      response.write(frame([delta({ reasoning_content: answer.reasoning })]));

    const pieces = answer.filtered
      ? []
      : splitIntoChunks(
          answer.tool === undefined ? answer.text : answer.args,
          behaviour.streamChunks ?? 4,
        );
    const interval = behaviour.chunkIntervalMs ?? 0;
    for (let index = 0; index < pieces.length; index++) {
      if (fault?.kind === 'cut-stream' && index === fault.afterChunks) {
        cutConnection(response);
        return;
      }
      if (fault?.kind === 'stream-error' && index === fault.afterChunks) {
        response.end(
          `data: ${JSON.stringify(errorBody(500, 'The server had an error while processing your request. Sorry about that!', 'server_error'))}\n\n`,
        );
        return;
      }
      if (index > 0) await delay(interval);
      if (response.destroyed) return;
      const piece = pieces[index]!;
      const content =
        answer.tool === undefined
          ? { content: piece }
          : { tool_calls: [{ index: 0, function: { arguments: piece } }] };
      response.write(frame([delta(content)]));
    }
    if (fault?.kind === 'cut-stream' || fault?.kind === 'stream-error') {
      // The fault asked for more chunks than the answer has: fail right before the end.
      if (fault.kind === 'cut-stream') cutConnection(response);
      else
        response.end(
          `data: ${JSON.stringify(errorBody(500, 'The server had an error while processing your request. Sorry about that!', 'server_error'))}\n\n`,
        );
      return;
    }
    response.write(frame([delta({}, answer.finishReason)]));
    if (includeUsage) response.write(frame([], { usage: answer.usage }));
    response.end('data: [DONE]\n\n');
  }

  const responses = createResponsesMock({
    unknownModel: (model) =>
      checkModels && !models.includes(model) ? modelNotFound(model, false) : undefined,
    faultAnswer,
    send,
  });

  function handle(
    request: RecordedRequest,
    response: ServerResponse,
    mock: MockServer,
  ): Promise<void> | void {
    sequence++;
    const headers: Record<string, string> = azure
      ? { 'apim-request-id': `mock-${sequence}`, 'x-request-id': `req_mock${sequence}` }
      : { 'x-request-id': `req_mock${sequence}` };
    const url = request.url;
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const hasApiVersion =
      queryAt !== -1 && new URLSearchParams(url.slice(queryAt + 1)).has('api-version');
    const azurePath = path.startsWith('/openai/');
    if (azurePath && !path.startsWith('/openai/v1/') && !hasApiVersion) {
      send(
        response,
        { status: 404, body: { error: { code: '404', message: 'Resource not found' } } },
        headers,
      );
      return;
    }
    if ((azurePath || path.startsWith('/v1/')) && !authorized(request, azurePath)) {
      send(response, unauthorized(azurePath), headers);
      return;
    }
    if (responsesSubpath(path) !== undefined)
      return responses(request, response, mock, path, headers);
    if (request.method === 'POST') {
      if (path === '/v1/chat/completions' || path === '/openai/v1/chat/completions')
        return chat(request, response, mock, undefined, false, headers);
      const lent = {
        request,
        response,
        mock,
        models: checkModels ? models : undefined,
        headers,
        send,
        faultAnswer: (fault: MockFault) => faultAnswer(fault, false),
        modelNotFound,
        invalid: (message: string, param: string) => ({
          status: 400,
          body: errorBody(400, message, 'invalid_request_error', null, param),
        }),
      };
      const embeddingsDeployment = openAIEmbeddingsPath(path);
      if (embeddingsDeployment !== undefined)
        return serveOpenAIEmbeddings({ ...lent, deployment: embeddingsDeployment });
      if (isOpenAICompletionsPath(path)) return serveOpenAICompletions(lent);
      const deployment = DEPLOYMENT_PATH.exec(path);
      if (deployment?.[1])
        return chat(request, response, mock, decodeURIComponent(deployment[1]), true, headers);
    } else if (request.method === 'GET') {
      if (path === '/v1/models' || path === '/openai/v1/models' || path === '/openai/models')
        return send(response, listModels(), headers);
      if (HEALTH_PATHS.has(path)) {
        response.writeHead(200, headers);
        response.end();
        return;
      }
      if (path === '/api/version')
        return send(response, { status: 200, body: { version: '0.12.0' } }, headers);
      if (path === '/api/tags') return send(response, ollamaTags(), headers);
    }
    send(
      response,
      {
        status: 404,
        body: errorBody(404, `Invalid URL (${request.method} ${path})`, 'invalid_request_error'),
      },
      headers,
    );
  }

  const server = await startMockServer(handle, {
    port: options.port,
    behaviour: options.behaviour,
  });
  return Object.defineProperties(server as OpenAIMock, {
    flavor: { value: flavor, enumerable: true },
    contentFilter: {
      enumerable: true,
      get: () => contentFilter,
      set: (value: OpenAIMockContentFilter | undefined) => {
        contentFilter = value;
      },
    },
  });
}
