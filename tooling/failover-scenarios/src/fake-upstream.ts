// A fake OpenAI-compatible upstream on 127.0.0.1 whose behaviour each scenario scripts: status
// codes, resets, silence, slow or stalled streams, cut streams, invalid chunks. JSON is written
// compact or with spaces, as different servers write it.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export type JsonStyle = 'compact' | 'spaced';

/** What the upstream does with one request; `attempt` counts from 1 per upstream. */
export type Behaviour = (exchange: Exchange) => Promise<void> | void;

export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  body: Record<string, unknown>;
  attempt: number;
  upstream: FakeUpstream;
}

export interface StreamPlan {
  tokens: number;
  gapMs?: number;
  firstTokenDelayMs?: number;
  /** Destroy the connection after this many tokens. */
  cutAfter?: number;
  /** Go silent for `stallMs` after this many tokens. */
  stallAfter?: number;
  stallMs?: number;
  /** Replace the n-th event (1-based) with invalid JSON. */
  invalidEvent?: number;
  /** End the body after finish and usage without `data: [DONE]`. */
  omitDone?: boolean;
  /** Never report usage, even when asked (as LM Studio and LocalAI streams do). */
  omitUsage?: boolean;
  /**
   * Continue from a trailing assistant message, as a model given a prefill does: the tokens it
   * already holds are not repeated, and the first new one starts with the space it needs.
   */
  continuePrefill?: boolean;
}

/** How many of this upstream's tokens (`t0 t1 …`) a trailing assistant message already holds. */
export function prefilledTokens(body: Record<string, unknown>): number {
  const messages = (body.messages ?? []) as Array<{ role: string; content?: unknown }>;
  const last = messages.at(-1);
  if (last?.role !== 'assistant' || typeof last.content !== 'string') return 0;
  return last.content.split(' ').filter((part) => /^t\d+$/.test(part)).length;
}

/** Writes JSON with a space after every colon and comma when spaced; strings stay exact. */
export function formatJson(value: unknown, style: JsonStyle): string {
  if (style === 'compact') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => formatJson(item, style)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${JSON.stringify(key)}: ${formatJson(member, style)}`);
    return `{${members.join(', ')}}`;
  }
  return JSON.stringify(value);
}

export class FakeUpstream {
  readonly attempts: number[] = [];
  readonly bodies: Array<Record<string, unknown>> = [];
  behaviour: Behaviour = (exchange) => this.stream(exchange, { tokens: 5 });
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer(
    (request, response) => void this.handle(request, response),
  );
  private port = 0;

  constructor(
    readonly model: string,
    readonly style: JsonStyle,
  ) {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(behaviour: Behaviour): void {
    this.attempts.length = 0;
    this.bodies.length = 0;
    this.behaviour = behaviour;
  }

  json(response: ServerResponse, status: number, value: unknown, headers = {}): void {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(formatJson(value, this.style));
  }

  error(response: ServerResponse, status: number, code: string, message: string, headers = {}) {
    const type =
      status === 429
        ? 'rate_limit_error'
        : status >= 500
          ? 'server_error'
          : 'invalid_request_error';
    this.json(response, status, { error: { message, type, param: null, code } }, headers);
  }

  async stream(exchange: Exchange, plan: StreamPlan): Promise<void> {
    const { response, body } = exchange;
    const write = (event: string) => response.write(`data: ${event}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      formatJson(
        {
          id: `chatcmpl-${this.model}`,
          object: 'chat.completion.chunk',
          created: 1,
          model: this.model,
          choices: [{ index: 0, delta, finish_reason: finish }],
        },
        this.style,
      );
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    write(chunk({ role: 'assistant', content: '' }));
    if (plan.firstTokenDelayMs) await sleep(plan.firstTokenDelayMs, response);
    let event = 1;
    const from = plan.continuePrefill ? prefilledTokens(body) : 0;
    for (let token = from; token < plan.tokens; token++) {
      if (response.destroyed) return;
      if (plan.cutAfter === token) {
        // Let what was written reach the gateway first: a cut after tokens, not before them.
        await sleep(20, response);
        response.socket?.destroy();
        return;
      }
      if (plan.stallAfter === token && plan.stallMs) await sleep(plan.stallMs, response);
      else if (token > 0 && plan.gapMs) await sleep(plan.gapMs, response);
      event++;
      write(
        event === plan.invalidEvent
          ? '{"choices": [{"delta": {"content": "x"'
          : chunk({ content: `${token === from && from > 0 ? ' ' : ''}t${token} ` }),
      );
    }
    write(chunk({}, 'stop'));
    const options = body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage && !plan.omitUsage)
      write(
        formatJson(
          {
            id: `chatcmpl-${this.model}`,
            object: 'chat.completion.chunk',
            created: 1,
            model: this.model,
            choices: [],
            usage: {
              prompt_tokens: 7,
              completion_tokens: plan.tokens - from,
              total_tokens: 7 + plan.tokens - from,
            },
          },
          this.style,
        ),
      );
    if (!plan.omitDone) write('[DONE]');
    response.end();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    this.attempts.push(Date.now());
    this.bodies.push(body);
    try {
      await this.behaviour({
        request,
        response,
        body,
        attempt: this.attempts.length,
        upstream: this,
      });
    } catch {
      response.destroy();
    }
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** Waits, or stops early when the gateway hangs up. */
export function sleep(ms: number, response?: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      response?.off('close', stop);
      resolve();
    };
    const timer = setTimeout(stop, ms);
    response?.on('close', stop);
  });
}
