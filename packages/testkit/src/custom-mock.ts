// A mock of a made-up but typical self-hosted text-generation API, for the `custom` provider type:
//
//   POST /generate  {prompt | messages, max_new_tokens?, temperature?, stream?}
//     → {id, model, output: {text}, stop_reason: "end" | "max_new_tokens", usage: {in, out}}
//     stream: true → NDJSON lines {"delta": "…"} ending with {"delta": "", stop_reason, usage},
//     or (framing 'sse') `data:` events ending with `data: [END]`
//   GET /health → {"status": "ok"}
//
// Errors are `{error: {type, message}}`; an in-stream error is a line with an `error` member.
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

export interface CustomMockOptions {
  /** When set, requests must carry it in `authHeader` after `authPrefix`. */
  apiKey?: string;
  /** Default `authorization`. */
  authHeader?: string;
  /** Default `Bearer `. */
  authPrefix?: string;
  /** Stream framing; default NDJSON. */
  framing?: 'ndjson' | 'sse';
  behaviour?: MockBehaviour;
  port?: number;
}

/** The SSE data value that ends a stream in `sse` framing. */
export const CUSTOM_MOCK_DONE = '[END]';

interface WireRequest {
  prompt?: unknown;
  messages?: unknown;
  max_new_tokens?: unknown;
  model?: unknown;
  stream?: unknown;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const ROLE_LINE = /^(System|User|Assistant|Tool): ?/;

function sendError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { ...JSON_TYPE, ...headers });
  response.end(JSON.stringify({ error: { type, message } }));
}

function sendFault(fault: MockFault | undefined, response: ServerResponse): boolean {
  switch (fault?.kind) {
    case 'server-error':
      sendError(response, fault.status ?? 500, 'server_error', 'The generation worker crashed.');
      return true;
    case 'rate-limited':
      sendError(response, 429, 'rate_limit', 'Too many requests.', {
        'retry-after': String(Math.max(1, Math.ceil((fault.retryAfterMs ?? 1000) / 1000))),
      });
      return true;
    case 'overloaded':
    case 'model-loading':
      sendError(response, 503, 'overloaded', 'All workers are busy, try again later.');
      return true;
    case 'auth':
      sendError(response, 401, 'unauthorized', 'Invalid API key.');
      return true;
    case 'context-length':
      sendError(
        response,
        400,
        'invalid_request',
        'Input is too long: 5000 tokens exceeds the context window of 4096 tokens.',
      );
      return true;
    case 'garbage':
      response.writeHead(200, JSON_TYPE);
      response.end('\u0000\u0001<html><body>upstream garbage {{{');
      return true;
    default:
      return false;
  }
}

/**
 * The last user turn of a prompt written as `Role: text` lines (the custom adapter's flattened
 * form), or the whole prompt when it has no role labels.
 */
export function lastUserTurn(prompt: string): string {
  const lines = prompt.split('\n');
  let start = -1;
  for (let index = lines.length - 1; index >= 0; index--) {
    if (lines[index]?.startsWith('User:')) {
      start = index;
      break;
    }
  }
  if (start === -1) return ROLE_LINE.test(prompt) ? '' : prompt;
  const turn = [(lines[start] ?? '').replace(ROLE_LINE, '')];
  for (let index = start + 1; index < lines.length && !ROLE_LINE.test(lines[index] ?? ''); index++)
    turn.push(lines[index] ?? '');
  return turn.join('\n');
}

function messageTexts(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  return messages
    .map((message: { content?: unknown }) => {
      if (typeof message.content === 'string') return message.content;
      if (!Array.isArray(message.content)) return '';
      return (message.content as Array<{ text?: unknown }>)
        .map((part) => (typeof part.text === 'string' ? part.text : ''))
        .join('');
    })
    .join(' ');
}

function writeFlushed(response: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => response.write(data, () => resolve()));
}

async function writeStream(
  response: ServerResponse,
  pieces: string[],
  final: Record<string, unknown>,
  framing: 'ndjson' | 'sse',
  fault: MockFault | undefined,
  intervalMs: number,
): Promise<void> {
  const frame =
    framing === 'sse'
      ? (value: unknown) => `data: ${JSON.stringify(value)}\n\n`
      : (value: unknown) => `${JSON.stringify(value)}\n`;
  response.writeHead(200, {
    'content-type': framing === 'sse' ? 'text/event-stream' : 'application/x-ndjson',
  });
  for (const [index, piece] of pieces.entries()) {
    if (fault?.kind === 'cut-stream' && index === fault.afterChunks) {
      response.destroy();
      return;
    }
    if (fault?.kind === 'stream-error' && index === fault.afterChunks) {
      response.end(
        frame({ error: { type: 'server_error', message: 'The generation worker crashed.' } }),
      );
      return;
    }
    if (index > 0) await delay(intervalMs);
    if (response.destroyed) return;
    // cut only once the pieces before it have reached the client
    if (fault?.kind === 'cut-stream') await writeFlushed(response, frame({ delta: piece }));
    else response.write(frame({ delta: piece }));
  }
  response.end(
    framing === 'sse'
      ? `${frame(final)}data: ${CUSTOM_MOCK_DONE}\n\n`
      : frame({ delta: '', ...final }),
  );
}

export async function startCustomMock(options: CustomMockOptions = {}): Promise<MockServer> {
  const authHeader = (options.authHeader ?? 'authorization').toLowerCase();
  const expected =
    options.apiKey !== undefined
      ? `${options.authPrefix ?? 'Bearer '}${options.apiKey}`
      : undefined;
  const framing = options.framing ?? 'ndjson';
  let generations = 0;

  async function handle(
    request: RecordedRequest,
    response: ServerResponse,
    mock: MockServer,
  ): Promise<void> {
    const path = request.url.split('?')[0];
    if (expected !== undefined && request.headers[authHeader] !== expected) {
      sendError(response, 401, 'unauthorized', 'Invalid API key.');
      return;
    }
    if (request.method === 'GET' && path === '/health') {
      response.writeHead(200, JSON_TYPE);
      response.end('{"status":"ok"}');
      return;
    }
    if (request.method !== 'POST' || path !== '/generate') {
      sendError(response, 404, 'not_found', `No route for ${request.method} ${path}`);
      return;
    }
    const fault = mock.takeFault();
    if (await applyTimingFault(fault, response)) return;
    await delay(mock.behaviour.latencyMs ?? 0);
    if (sendFault(fault, response)) return;
    const body = request.body as WireRequest | undefined;
    const prompt = typeof body?.prompt === 'string' ? body.prompt : undefined;
    if (prompt === undefined && !Array.isArray(body?.messages)) {
      sendError(response, 422, 'invalid_request', 'Either "prompt" or "messages" is required.');
      return;
    }
    const userText = prompt !== undefined ? lastUserTurn(prompt) : lastUserText(body?.messages);
    let text = mock.behaviour.reply ?? `Echo: ${userText}`;
    let stopReason = 'end';
    const limit = typeof body?.max_new_tokens === 'number' ? body.max_new_tokens : undefined;
    if (limit !== undefined && countTokens(text) > limit) {
      text = text.split(/\s+/).slice(0, limit).join(' ');
      stopReason = 'max_new_tokens';
    }
    const usage = {
      in: countTokens(prompt ?? messageTexts(body?.messages)),
      out: countTokens(text),
    };
    const model = typeof body?.model === 'string' ? body.model : 'generate-v1';
    if (body?.stream === true) {
      await writeStream(
        response,
        splitIntoChunks(text, mock.behaviour.streamChunks ?? 4),
        { stop_reason: stopReason, usage },
        framing,
        fault,
        mock.behaviour.chunkIntervalMs ?? 0,
      );
      return;
    }
    response.writeHead(200, JSON_TYPE);
    response.end(
      JSON.stringify({
        id: `gen-${++generations}`,
        model,
        output: { text },
        stop_reason: stopReason,
        usage,
      }),
    );
  }

  return startMockServer(handle, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.behaviour ? { behaviour: options.behaviour } : {}),
  });
}
