// A mock of AWS Bedrock: Runtime Converse (`POST /model/{id}/converse`, JSON) and ConverseStream
// (`…/converse-stream`, binary `application/vnd.amazon.eventstream` frames incl. exception frames),
// plus the control plane's ListFoundationModels (`GET /foundation-models`) for probes. Every request's
// SigV4 signature is verified by recomputing it with the known secret (or a Bedrock API key is
// checked as a bearer token); errors carry `x-amzn-ErrorType` and a `{"message"}` body.
// One port speaks HTTP/1.1 (undici) and cleartext HTTP/2 with prior knowledge (the AWS SDK's
// NodeHttp2Handler): the first bytes of a connection decide which server gets it.
// Real Bedrock sends no retry hint on throttling; a `rate-limited` fault with `retryAfterMs` adds a
// `retry-after` header so retry-hint handling can be tested.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import {
  constants as http2Constants,
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { BEDROCK_INVOKE_PATH, handleInvokeModel } from './bedrock-invoke-anthropic.ts';
import { encodeEventStreamFrame } from './event-stream-frame.ts';
import { verifySigV4 } from './bedrock-sigv4-verifier.ts';
import { bedrockInvokeModel, serveBedrockInvoke } from './bedrock-embeddings-mock.ts';
import {
  countTokens,
  delay,
  lastUserText,
  splitIntoChunks,
  type MockBehaviour,
  type MockFault,
  type MockServer,
  type RecordedRequest,
} from './mock-server.ts';
import { mockToolCall, type MockToolChoice } from './mock-tools.ts';

export interface BedrockMockOptions {
  /** SigV4 credentials the mock accepts; without them (and without `apiKey`) requests are not authenticated. */
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** The region requests must be signed for (default `us-east-1`). */
  region?: string;
  /** A Bedrock API key, accepted as `Authorization: Bearer <key>`. */
  apiKey?: string;
  behaviour?: MockBehaviour;
  port?: number;
  /** Model ids listed by ListFoundationModels. */
  models?: string[];
}

export const BEDROCK_MOCK_MODELS: readonly string[] = [
  'anthropic.claude-3-5-haiku-20241022-v1:0',
  'amazon.nova-lite-v1:0',
  'meta.llama3-1-8b-instruct-v1:0',
];

const JSON_HEADERS = { 'content-type': 'application/json' };
const EVENT_STREAM_HEADERS = { 'content-type': 'application/vnd.amazon.eventstream' };
const ERROR_NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.bedrock/';
const MODEL_PATH = /^\/model\/([^/]+)\/(converse|converse-stream)$/;
const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123';

/** One answer channel over an HTTP/1.1 or an HTTP/2 response. */
interface Reply {
  readonly destroyed: boolean;
  head(status: number, headers: Record<string, string>): void;
  /** Resolves once the bytes were handed to the socket. */
  write(data: Uint8Array | string): Promise<void>;
  end(data?: Uint8Array | string): void;
  /** Breaks the connection mid-answer. */
  cut(): void;
  /** Resolves when the client went away or the answer ended. */
  closed(): Promise<void>;
}

type Body = Record<string, unknown>;

interface MockAnswer {
  text: string;
  tool?: { toolUseId: string; name: string; arguments: string };
  /** Asked for with a `thinking` budget in `additionalModelRequestFields`: signed reasoning first. */
  reasoning?: { text: string; signature: string };
  inputTokens: number;
  outputTokens: number;
}

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function http1Reply(response: ServerResponse): Reply {
  return {
    get destroyed() {
      return response.destroyed;
    },
    head: (status, headers) => response.writeHead(status, headers),
    write: (data) => new Promise((resolve) => response.write(data, () => resolve())),
    end: (data) => (data === undefined ? response.end() : response.end(data)),
    cut: () => response.destroy(),
    closed: () =>
      new Promise((resolve) =>
        response.closed ? resolve() : response.once('close', () => resolve()),
      ),
  };
}

function http2Reply(response: Http2ServerResponse): Reply {
  return {
    get destroyed() {
      return response.stream.destroyed;
    },
    head: (status, headers) => response.writeHead(status, headers),
    write: (data) => new Promise((resolve) => response.write(data, () => resolve())),
    end: (data) => (data === undefined ? response.end() : response.end(data)),
    cut: () => response.stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR),
    closed: () =>
      new Promise((resolve) =>
        response.stream.closed ? resolve() : response.once('close', () => resolve()),
      ),
  };
}

/** A duplex over `socket` that replays `head` first: HTTP/2 sessions read through it. */
function replayingDuplex(socket: Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => socket.resume(),
    write: (chunk: Buffer, _encoding, callback) => socket.write(chunk, callback),
    final: (callback) => socket.end(callback),
    destroy: (error, callback) => {
      socket.destroy();
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  socket.on('error', () => duplex.destroy());
  duplex.push(head);
  return duplex;
}

type Handler = (
  request: RecordedRequest,
  rawBody: Buffer,
  reply: Reply,
  mock: MockServer,
) => Promise<void>;

/** A MockServer that speaks HTTP/1.1 and h2c on one port. */
async function startDualProtocolServer(
  handler: Handler,
  options: { port?: number; behaviour?: MockBehaviour },
): Promise<MockServer> {
  const queued: MockFault[] = [];
  let persistent: MockFault | null = null;
  let aborts = 0;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const mock: MockServer = {
    url: '',
    port: 0,
    requests,
    get clientAborts() {
      return aborts;
    },
    behaviour: { ...options.behaviour },
    failNext(fault, times = 1) {
      for (let index = 0; index < times; index++) queued.push(fault);
    },
    setFault(fault) {
      persistent = fault;
    },
    takeFault() {
      return queued.shift() ?? persistent ?? undefined;
    },
    reset() {
      queued.length = 0;
      persistent = null;
      requests.length = 0;
      aborts = 0;
      mock.behaviour = { ...options.behaviour };
    },
    close: () => Promise.resolve(),
  };

  function onRequest(incoming: IncomingMessage | Http2ServerRequest, reply: Reply): void {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const text = rawBody.toString('utf8');
      let body: unknown;
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        headers: incoming.headers,
        rawBody: text,
        body,
      };
      requests.push(recorded);
      let ended = false;
      const tracked: Reply = {
        ...reply,
        get destroyed() {
          return reply.destroyed;
        },
        end: (data) => {
          ended = true;
          reply.end(data);
        },
      };
      void reply.closed().then(() => {
        if (!ended) aborts++;
      });
      handler(recorded, rawBody, tracked, mock).catch((error: unknown) => {
        if (!ended) {
          tracked.head(500, { 'content-type': 'text/plain' });
          tracked.end(`mock failure: ${(error as Error).message}`);
        }
      });
    });
  }

  const http1 = createHttpServer((incoming, response) => onRequest(incoming, http1Reply(response)));
  http1.keepAliveTimeout = 5_000;
  const http2 = createHttp2Server((incoming, response) =>
    onRequest(incoming, http2Reply(response)),
  );
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head = Buffer.alloc(0);
    const route = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      // the HTTP/2 connection preface starts with "PRI"; no HTTP/1 method does
      if (head.length < 3) return;
      socket.off('data', route);
      socket.pause();
      if (head.subarray(0, 3).toString('latin1') === 'PRI') {
        http2.emit('connection', replayingDuplex(socket, head));
      } else {
        socket.unshift(head);
        http1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', route);
  });

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (front.address() as AddressInfo).port;
  Object.assign(mock, {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        http1.closeAllConnections();
        front.close(() => resolve());
      }),
  });
  return mock;
}

export interface BedrockMock extends MockServer {
  /** The Anthropic JSON of each InvokeModel answer (a stream's events joined by newlines). */
  readonly sent: string[];
}

export async function startBedrockMock(options: BedrockMockOptions = {}): Promise<BedrockMock> {
  let sequence = 0;
  const sent: string[] = [];
  const region = options.region ?? 'us-east-1';
  const models = options.models ?? BEDROCK_MOCK_MODELS;
  const server = await startDualProtocolServer(
    async (request, rawBody, reply, mock) => {
      sequence++;
      const ids = {
        requestId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
        sequence,
      };
      const refusal = authenticate(request, rawBody, options, region);
      const path = request.url.split('?', 1)[0] ?? '';
      const model = MODEL_PATH.exec(path);
      const invoke = BEDROCK_INVOKE_PATH.exec(path);
      const invokedModel = bedrockInvokeModel(path);
      const embeddingModel = invokedModel?.includes('anthropic.') ? undefined : invokedModel;
      if (refusal) sendError(reply, 403, refusal.errorType, refusal.message, ids.requestId);
      else if (request.method === 'GET' && path === '/foundation-models')
        sendModels(request, reply, models, region, ids.requestId);
      // InvokeModel on an embedding model (Titan, Cohere Embed); Anthropic bodies are handled below.
      else if (request.method === 'POST' && embeddingModel !== undefined) {
        await serveBedrockInvoke(
          {
            request,
            reply,
            mock,
            requestId: ids.requestId,
            sendFault: (fault) => sendFault(fault, reply, false, ids.requestId),
            sendError: (status, type, message) =>
              sendError(reply, status, type, message, ids.requestId),
          },
          embeddingModel,
        );
      } else if (request.method === 'POST' && invoke?.[1]) {
        const modelId = decodeURIComponent(invoke[1]);
        const operation = invoke[2] as 'invoke' | 'invoke-with-response-stream' | 'count-tokens';
        handleInvokeModel(request, reply, { ...ids, modelId, operation, sent });
      } else if (request.method === 'POST' && model?.[1] && model[2]) {
        await handleConverse(request, reply, mock, {
          ...ids,
          stream: model[2] === 'converse-stream',
        });
      } else
        sendError(
          reply,
          404,
          'UnknownOperationException',
          `Unknown operation ${request.method} ${path}`,
          ids.requestId,
        );
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

function authenticate(
  request: RecordedRequest,
  rawBody: Buffer,
  options: BedrockMockOptions,
  region: string,
): { errorType: string; message: string } | undefined {
  const sigV4 = options.accessKeyId !== undefined && options.secretAccessKey !== undefined;
  if (!sigV4 && options.apiKey === undefined) return undefined;
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    return options.apiKey !== undefined && authorization === `Bearer ${options.apiKey}`
      ? undefined
      : {
          errorType: 'UnrecognizedClientException',
          message: 'The API key included in the request is invalid.',
        };
  }
  if (!sigV4)
    return {
      errorType: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    };
  const verdict = verifySigV4(
    { method: request.method, url: request.url, headers: request.headers, body: rawBody },
    {
      credentials: {
        accessKeyId: options.accessKeyId ?? '',
        secretAccessKey: options.secretAccessKey ?? '',
        sessionToken: options.sessionToken,
      },
      region,
      service: 'bedrock',
    },
  );
  return verdict.ok ? undefined : verdict;
}

function sendError(
  reply: Reply,
  status: number,
  errorType: string,
  message: string,
  requestId: string,
  extra: Record<string, string> = {},
): void {
  reply.head(status, {
    ...JSON_HEADERS,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': `${errorType}:${ERROR_NAMESPACE}`,
    ...extra,
  });
  reply.end(JSON.stringify({ message }));
}

/** Answers an error fault; returns false for faults that shape a 200 answer instead. */
function sendFault(fault: MockFault, reply: Reply, stream: boolean, requestId: string): boolean {
  switch (fault.kind) {
    case 'server-error': {
      const status = fault.status ?? 500;
      const name = status === 503 ? 'ServiceUnavailableException' : 'InternalServerException';
      sendError(
        reply,
        status,
        name,
        'The server encountered an internal error while processing the request.',
        requestId,
      );
      return true;
    }
    case 'rate-limited':
      sendError(
        reply,
        429,
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
        requestId,
        fault.retryAfterMs === undefined
          ? {}
          : { 'retry-after': String(Math.ceil(fault.retryAfterMs / 1000)) },
      );
      return true;
    case 'overloaded':
      sendError(
        reply,
        503,
        'ServiceUnavailableException',
        'Bedrock is unable to process your request.',
        requestId,
      );
      return true;
    case 'model-loading':
      sendError(
        reply,
        429,
        'ModelNotReadyException',
        'Model is not ready for inference. Wait and try your request again.',
        requestId,
      );
      return true;
    case 'auth':
      sendError(
        reply,
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        requestId,
      );
      return true;
    case 'context-length':
      sendError(
        reply,
        400,
        'ValidationException',
        'Input is too long for requested model.',
        requestId,
      );
      return true;
    case 'stream-error':
      // without a stream to carry it, the mid-generation failure is an HTTP error
      if (stream) return false;
      sendError(
        reply,
        424,
        'ModelErrorException',
        'The system encountered an unexpected error during processing. Try your request again.',
        requestId,
      );
      return true;
    default:
      return false;
  }
}

async function handleConverse(
  request: RecordedRequest,
  reply: Reply,
  mock: MockServer,
  context: { requestId: string; sequence: number; stream: boolean },
): Promise<void> {
  const fault = mock.takeFault();
  if (fault?.kind === 'hang') {
    await reply.closed();
    return;
  }
  if (fault?.kind === 'slow-headers') await delay(fault.delayMs);
  await delay(mock.behaviour.latencyMs ?? 0);
  if (fault && sendFault(fault, reply, context.stream, context.requestId)) return;
  const body = request.body;
  if (!isRecord(body) || !Array.isArray(body.messages) || body.messages.length === 0) {
    sendError(
      reply,
      400,
      'ValidationException',
      "1 validation error detected: Value at 'messages' failed to satisfy constraint: Member must not be null",
      context.requestId,
    );
    return;
  }
  const headers = {
    ...(context.stream ? EVENT_STREAM_HEADERS : JSON_HEADERS),
    'x-amzn-requestid': context.requestId,
  };
  if (fault?.kind === 'garbage') {
    reply.head(200, headers);
    reply.end(
      context.stream
        ? Buffer.from('<html><body>502 Bad Gateway</body></html>')
        : '<html><body>502 Bad Gateway</body></html>',
    );
    return;
  }
  const answer = answerFor(body, mock.behaviour, context.sequence);
  reply.head(200, headers);
  if (context.stream) {
    await streamAnswer(reply, answer, mock.behaviour, fault);
    return;
  }
  const json = JSON.stringify(converseResponse(answer));
  if (fault?.kind === 'cut-stream') {
    await reply.write(json.slice(0, Math.floor(json.length / 2)));
    reply.cut();
    return;
  }
  reply.end(json);
}

function contentText(content: unknown): string[] {
  if (!Array.isArray(content)) return [];
  const texts: string[] = [];
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (typeof block.text === 'string') texts.push(block.text);
    else if (isRecord(block.toolResult)) texts.push(...contentText(block.toolResult.content));
  }
  return texts;
}

function isToolResultTurn(message: unknown): boolean {
  return (
    isRecord(message) &&
    Array.isArray(message.content) &&
    message.content.every((block) => isRecord(block) && isRecord(block.toolResult))
  );
}

function answerFor(body: Body, behaviour: MockBehaviour, sequence: number): MockAnswer {
  const messages = body.messages as unknown[];
  const promptText = [
    ...contentText(body.system),
    ...messages.flatMap((message) => (isRecord(message) ? contentText(message.content) : [])),
  ];
  const inputTokens = countTokens(promptText.join(' '));
  // tool results sit in user turns here; the user's own words are in the last turn that is not one
  const userText = lastUserText(messages.filter((message) => !isToolResultTurn(message)));
  const toolName = mockToolCall({
    ...toolChoice(body),
    userText,
    endsWithToolResult: isToolResultTurn(messages.at(-1)),
  });
  // with thinking on, signed reasoning opens the answer, tool call or text
  const reasoning = wantsThinking(body)
    ? {
        text: `Thinking about: ${userText}`,
        signature: `sig_bedrock${String(sequence).padStart(8, '0')}==`,
      }
    : undefined;
  if (toolName !== undefined) {
    const args = JSON.stringify({ input: userText });
    return {
      text: '',
      ...(reasoning ? { reasoning } : {}),
      tool: {
        toolUseId: `tooluse_mock${String(sequence).padStart(8, '0')}`,
        name: toolName,
        arguments: args,
      },
      inputTokens,
      outputTokens: countTokens(args),
    };
  }
  const text = behaviour.reply ?? `Echo: ${userText}`;
  if (!reasoning) return { text, inputTokens, outputTokens: countTokens(text) };
  return {
    text,
    reasoning,
    inputTokens,
    outputTokens: countTokens(text) + countTokens(reasoning.text),
  };
}

function wantsThinking(body: Body): boolean {
  const fields = isRecord(body.additionalModelRequestFields)
    ? body.additionalModelRequestFields
    : undefined;
  return isRecord(fields?.thinking) && fields.thinking.type === 'enabled';
}

/** `toolConfig`: its tool specs and `toolChoice` — `{auto: {}}` (the default), `{any: {}}` or `{tool: {name}}`. */
function toolChoice(body: Body): { offered: string[]; choice: MockToolChoice } {
  const toolConfig = isRecord(body.toolConfig) ? body.toolConfig : undefined;
  const offered = Array.isArray(toolConfig?.tools)
    ? toolConfig.tools.flatMap((tool) =>
        isRecord(tool) && isRecord(tool.toolSpec) && typeof tool.toolSpec.name === 'string'
          ? [tool.toolSpec.name]
          : [],
      )
    : [];
  const choice = isRecord(toolConfig?.toolChoice) ? toolConfig.toolChoice : undefined;
  if (isRecord(choice?.tool) && typeof choice.tool.name === 'string')
    return { offered, choice: { name: choice.tool.name } };
  return { offered, choice: isRecord(choice?.any) ? 'required' : 'auto' };
}

function usageOf(answer: MockAnswer) {
  return {
    inputTokens: answer.inputTokens,
    outputTokens: answer.outputTokens,
    totalTokens: answer.inputTokens + answer.outputTokens,
  };
}

function converseResponse(answer: MockAnswer) {
  const content = [
    ...(answer.reasoning ? [{ reasoningContent: { reasoningText: answer.reasoning } }] : []),
    answer.tool
      ? {
          toolUse: {
            toolUseId: answer.tool.toolUseId,
            name: answer.tool.name,
            input: JSON.parse(answer.tool.arguments) as unknown,
          },
        }
      : { text: answer.text },
  ];
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: answer.tool ? 'tool_use' : 'end_turn',
    usage: usageOf(answer),
    metrics: { latencyMs: 0 },
  };
}

function eventFrame(eventType: string, payload: Record<string, unknown>): Uint8Array {
  // Bedrock pads every event with a random-length `p` member; clients must ignore it
  const padding = PADDING.slice(0, 1 + ((eventType.length * 7) % PADDING.length));
  const body = Buffer.from(JSON.stringify({ ...payload, p: padding }));
  return encodeEventStreamFrame(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    body,
  );
}

function exceptionFrame(exceptionType: string, payload: Record<string, unknown>): Uint8Array {
  return encodeEventStreamFrame(
    {
      ':exception-type': exceptionType,
      ':content-type': 'application/json',
      ':message-type': 'exception',
    },
    Buffer.from(JSON.stringify(payload)),
  );
}

async function streamAnswer(
  reply: Reply,
  answer: MockAnswer,
  behaviour: MockBehaviour,
  fault: MockFault | undefined,
): Promise<void> {
  const pieces = splitIntoChunks(
    answer.tool ? answer.tool.arguments : answer.text,
    behaviour.streamChunks ?? 4,
  );
  const head = [eventFrame('messageStart', { role: 'assistant' })];
  // reasoning is block 0 (its text, then its signature), the answer the next block
  const reasoning = answer.reasoning;
  const index = reasoning ? 1 : 0;
  if (reasoning)
    head.push(
      eventFrame('contentBlockDelta', {
        contentBlockIndex: 0,
        delta: { reasoningContent: { text: reasoning.text } },
      }),
      eventFrame('contentBlockDelta', {
        contentBlockIndex: 0,
        delta: { reasoningContent: { signature: reasoning.signature } },
      }),
      eventFrame('contentBlockStop', { contentBlockIndex: 0 }),
    );
  if (answer.tool)
    head.push(
      eventFrame('contentBlockStart', {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: answer.tool.toolUseId, name: answer.tool.name } },
      }),
    );
  const deltas = pieces.map((piece) =>
    eventFrame('contentBlockDelta', {
      contentBlockIndex: index,
      delta: answer.tool ? { toolUse: { input: piece } } : { text: piece },
    }),
  );
  const tail = [
    eventFrame('contentBlockStop', { contentBlockIndex: index }),
    eventFrame('messageStop', { stopReason: answer.tool ? 'tool_use' : 'end_turn' }),
    eventFrame('metadata', { usage: usageOf(answer), metrics: { latencyMs: 0 } }),
  ];
  const interval = behaviour.chunkIntervalMs ?? 0;
  const cutAfter = fault?.kind === 'cut-stream' ? fault.afterChunks : undefined;
  const errorAfter = fault?.kind === 'stream-error' ? fault.afterChunks : undefined;
  if (interval === 0 && cutAfter === undefined && errorAfter === undefined) {
    reply.end(Buffer.concat([...head, ...deltas, ...tail]));
    return;
  }
  await reply.write(Buffer.concat(head));
  const sent = Math.min(cutAfter ?? errorAfter ?? deltas.length, deltas.length);
  for (const [index, delta] of deltas.slice(0, sent).entries()) {
    if (index > 0) await delay(interval);
    if (reply.destroyed) return;
    await reply.write(delta);
  }
  if (cutAfter !== undefined) reply.cut();
  else if (errorAfter !== undefined) {
    reply.end(
      exceptionFrame('modelStreamErrorException', {
        message: 'The model encountered an error while streaming the response.',
        originalStatusCode: 500,
        originalMessage: 'Internal model error',
      }),
    );
  } else reply.end(Buffer.concat(tail));
}

function providerNameOf(modelId: string): string {
  const prefix = modelId.split('.', 1)[0] ?? modelId;
  return prefix.charAt(0).toUpperCase() + prefix.slice(1);
}

function sendModels(
  request: RecordedRequest,
  reply: Reply,
  models: readonly string[],
  region: string,
  requestId: string,
): void {
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  const byProvider = query.get('byProvider')?.toLowerCase();
  const summaries = models
    .filter(
      (modelId) => byProvider === undefined || providerNameOf(modelId).toLowerCase() === byProvider,
    )
    .map((modelId) => ({
      modelArn: `arn:aws:bedrock:${region}::foundation-model/${modelId}`,
      modelId,
      modelName: modelId,
      providerName: providerNameOf(modelId),
      inputModalities: ['TEXT'],
      outputModalities: ['TEXT'],
      responseStreamingSupported: true,
      customizationsSupported: [],
      inferenceTypesSupported: ['ON_DEMAND'],
      modelLifecycle: { status: 'ACTIVE' },
    }));
  reply.head(200, { ...JSON_HEADERS, 'x-amzn-requestid': requestId });
  reply.end(JSON.stringify({ modelSummaries: summaries }));
}
