// The upstream of the 2,000-stream scenario: every stream sends one numbered frame every 50 ms
// (`max_tokens` of the request says how many), each stamped with the monotonic µs at which it was
// written, as OpenAI Chat chunks on `POST /v1/chat/completions` and as Anthropic Messages events
// on `POST /v1/messages` (and `GET /v1/models` for health checks). `GET /bench/streams` says how many streams are open, the most that
// were open at once and from how many client addresses they came since the last call (which
// resets both).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { frameMarker, monotonicMicros } from '../frames.ts';

export const TICK_INTERVAL_MS = 50;
const MAX_FRAMES = 10_000;

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

interface StreamFormat {
  head(model: string): string;
  frame(model: string, text: string): string;
  tail(model: string, frames: number, usage: boolean): string;
}

const openAI: StreamFormat = {
  head: (model) => chunk(model, { role: 'assistant', content: '' }, null),
  frame: (model, text) => chunk(model, { content: text }, null),
  tail: (model, frames, usage) =>
    chunk(model, {}, 'stop') +
    (usage
      ? `data: ${JSON.stringify({
          id: 'chatcmpl-tick',
          object: 'chat.completion.chunk',
          created: 0,
          model,
          choices: [],
          usage: { prompt_tokens: 12, completion_tokens: frames, total_tokens: 12 + frames },
        })}\n\n`
      : '') +
    'data: [DONE]\n\n',
};

function chunk(model: string, delta: object, finish: string | null): string {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-tick',
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;
}

function event(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const anthropic: StreamFormat = {
  head: (model) =>
    event('message_start', {
      message: {
        id: 'msg_tick',
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: 1 },
      },
    }) + event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  frame: (_model, text) =>
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
  tail: (_model, frames) =>
    event('content_block_stop', { index: 0 }) +
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: frames },
    }) +
    event('message_stop', {}),
};

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  try {
    const value: unknown = JSON.parse(Buffer.concat(parts).toString('utf8'));
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function fail(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: { message } }));
}

const MODEL_LIST = JSON.stringify({
  object: 'list',
  data: [
    { id: 'gpt-4o-mini', object: 'model', type: 'model', owned_by: 'bench' },
    { id: 'claude-haiku-4-5', object: 'model', type: 'model', display_name: 'Claude Haiku 4.5' },
  ],
  has_more: false,
  first_id: 'gpt-4o-mini',
  last_id: 'claude-haiku-4-5',
});

export function startTickUpstream(options: {
  apiKey: string;
}): Promise<{ server: Server; port: number }> {
  let open = 0;
  let peak = 0;
  const clients = new Set<string>();
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (request.method === 'GET' && path === '/bench/streams') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ open, peak, clients: clients.size }));
      peak = open;
      clients.clear();
      return;
    }
    // The gateway's health monitor lists the models (OpenAI's shape and Anthropic's in one list).
    if (request.method === 'GET' && path === '/v1/models') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(MODEL_LIST);
      return;
    }
    const format =
      request.method === 'POST' && path === '/v1/chat/completions'
        ? openAI
        : request.method === 'POST' && path === '/v1/messages'
          ? anthropic
          : undefined;
    if (!format) return fail(response, 404, `no route ${request.method} ${path}`);
    const key = request.headers['x-api-key'] ?? request.headers.authorization;
    if (key !== options.apiKey && key !== `Bearer ${options.apiKey}`)
      return fail(response, 401, 'invalid api key');
    void readJson(request).then((body) => {
      const frames = body?.max_tokens;
      if (!body || body.stream !== true)
        return fail(response, 400, 'this upstream only streams: "stream": true');
      if (
        typeof frames !== 'number' ||
        !Number.isInteger(frames) ||
        frames < 1 ||
        frames > MAX_FRAMES
      )
        return fail(
          response,
          400,
          `max_tokens (the frame count) must be an integer in 1…${MAX_FRAMES}`,
        );
      const model = typeof body.model === 'string' ? body.model : 'tick';
      const usage =
        (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
      open++;
      peak = Math.max(peak, open);
      clients.add(request.socket.remoteAddress ?? 'unknown');
      response.writeHead(200, SSE_HEADERS);
      response.write(format.head(model));
      let next = 0;
      const timer = setInterval(() => {
        response.write(format.frame(model, frameMarker(next, monotonicMicros())));
        next++;
        if (next < frames) return;
        clearInterval(timer);
        response.end(format.tail(model, frames, usage));
      }, TICK_INTERVAL_MS);
      response.once('close', () => {
        clearInterval(timer);
        open--;
      });
    });
  });
  server.keepAliveTimeout = 65_000;
  // Thousands of streams are opened within a second.
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}
