// The base of every mock vendor server: node:http on 127.0.0.1 (port 0 unless given), recorded
// requests, queued or persistent faults, deterministic answers, and a count of requests whose
// client went away before the answer ended (to prove upstream aborts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type MockFault =
  /** 5xx with the vendor's error body (default status 500). */
  | { kind: 'server-error'; status?: number }
  /** 429 with the vendor's own retry hint. */
  | { kind: 'rate-limited'; retryAfterMs?: number }
  /** The vendor's "overloaded / unavailable" answer (503, Anthropic 529). */
  | { kind: 'overloaded' }
  /** The vendor's authentication error. */
  | { kind: 'auth' }
  /** Headers only after `delayMs`. */
  | { kind: 'slow-headers'; delayMs: number }
  /** Never answers (the connection stays open until the client gives up). */
  | { kind: 'hang' }
  /** A stream that stops (socket destroyed) after `afterChunks` content chunks. */
  | { kind: 'cut-stream'; afterChunks: number }
  /** 200 with bytes that are not the vendor's format. */
  | { kind: 'garbage' }
  /** The vendor's in-stream error event after `afterChunks` content chunks. */
  | { kind: 'stream-error'; afterChunks: number }
  /** The vendor's context-length error. */
  | { kind: 'context-length' }
  /** Local servers: the model is not loaded / still loading. */
  | { kind: 'model-loading' };

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions?x=1`. */
  url: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
}

export interface MockBehaviour {
  /** Fixed answer text; default: `Echo: <last user text>`. */
  reply?: string;
  /** How many content chunks a streamed answer is split into (default 4). */
  streamChunks?: number;
  /** Delay before each answer (default 0). */
  latencyMs?: number;
  /** Delay between streamed chunks (default 0). */
  chunkIntervalMs?: number;
}

export interface MockServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Requests whose client closed the connection before the answer was complete. */
  readonly clientAborts: number;
  behaviour: MockBehaviour;
  /** Apply `fault` to the next `times` requests (default 1) that reach a model endpoint. */
  failNext(fault: MockFault, times?: number): void;
  /** Apply `fault` to every model request until cleared with `setFault(null)`. */
  setFault(fault: MockFault | null): void;
  /** The fault for this model request, consuming a queued one. */
  takeFault(): MockFault | undefined;
  reset(): void;
  close(): Promise<void>;
}

export type MockHandler = (
  request: RecordedRequest,
  response: ServerResponse,
  server: MockServer,
  incoming: IncomingMessage,
) => void | Promise<void>;

export interface StartMockOptions {
  port?: number;
  behaviour?: MockBehaviour;
}

/** Starts a mock on 127.0.0.1. `handler` answers every request; throws become 500s. */
export async function startMockServer(
  handler: MockHandler,
  options: StartMockOptions = {},
): Promise<MockServer> {
  const queued: MockFault[] = [];
  let persistent: MockFault | null = null;
  let aborts = 0;
  const requests: RecordedRequest[] = [];

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

  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        headers: incoming.headers,
        rawBody,
        body,
      };
      requests.push(recorded);
      response.on('close', () => {
        if (!response.writableFinished) aborts++;
      });
      Promise.resolve(handler(recorded, response, mock, incoming)).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(`mock failure: ${(error as Error).message}`);
        } else response.destroy();
      });
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  Object.assign(mock, {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return mock;
}

/** The text of the last user message of an OpenAI-, Anthropic-, Bedrock-, Gemini- or Cohere-shaped body. */
export function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as { role?: unknown; content?: unknown; parts?: unknown };
    if (message.role !== 'user') continue;
    return textOf(message.content ?? message.parts);
  }
  return '';
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      if (typeof part === 'string') return part;
      const value = part as { text?: unknown };
      return typeof value.text === 'string' ? value.text : '';
    })
    .join('');
}

/** Deterministic token count used by every mock: whitespace-separated words, at least 1. */
export function countTokens(text: string): number {
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  return Math.max(1, words);
}

/** Splits `text` into `count` nearly equal, non-empty pieces (fewer when the text is short). */
export function splitIntoChunks(text: string, count: number): string[] {
  const pieces = Math.max(1, Math.min(count, text.length));
  const size = Math.ceil(text.length / pieces);
  const chunks: string[] = [];
  for (let start = 0; start < text.length; start += size)
    chunks.push(text.slice(start, start + size));
  return chunks.length > 0 ? chunks : [''];
}

export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** Applies the timing faults every vendor shares; returns true when the request is now handled. */
export async function applyTimingFault(
  fault: MockFault | undefined,
  response: ServerResponse,
): Promise<boolean> {
  if (fault?.kind === 'hang') {
    // Keep the socket open without answering; the client's timeout or abort ends it.
    await new Promise<void>((resolve) => response.on('close', resolve));
    return true;
  }
  if (fault?.kind === 'slow-headers') await delay(fault.delayMs);
  return false;
}
