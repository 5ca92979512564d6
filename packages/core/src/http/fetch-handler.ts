// The REST proxy as a Fetch API handler (`Request -> Response`), for Next.js route handlers and
// any runtime with Fetch; SSE bodies are pulled from the event stream (backpressure) and a
// cancelled body aborts the upstream call.
import { decodeBody } from './body-encoding.ts';
import { bodyTooLarge, createGatewayHttp, type GatewayHttpOptions } from './gateway-http.ts';
import type { SseEncoder } from './http-route.ts';
import type { StreamEvent } from '../spec/stream-events.ts';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface FetchHandlerOptions extends GatewayHttpOptions {
  /** Path prefix to strip before routing, e.g. `/api` when mounted below it. */
  basePath?: string;
}

async function readLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw bodyTooLarge(limit);
  if (!request.body) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
  return decodeBody(Buffer.concat(chunks, size), request.headers.get('content-encoding'), limit);
}

async function* encodeFrames(
  events: AsyncIterable<StreamEvent>,
  encoder: SseEncoder,
): AsyncGenerator<string> {
  for await (const event of events) {
    const frame = encoder.encode(event);
    if (frame) yield frame;
    if (encoder.ended) return;
  }
  yield encoder.finish();
}

export function createHttpHandler(options: FetchHandlerOptions): FetchHandler {
  const handle = createGatewayHttp(options);
  const basePath = options.basePath?.replace(/\/+$/, '') ?? '';
  const encoder = new TextEncoder();

  return async (request) => {
    const url = new URL(request.url);
    const path =
      basePath && url.pathname.startsWith(basePath)
        ? url.pathname.slice(basePath.length) || '/'
        : url.pathname;
    const controller = new AbortController();
    const abort = () => controller.abort(request.signal.reason);
    if (request.signal.aborted) abort();
    else request.signal.addEventListener('abort', abort, { once: true });
    const result = await handle({
      method: request.method,
      path,
      header: (name) => request.headers.get(name),
      readBody: (limit) => readLimited(request, limit),
      signal: controller.signal,
    });
    if (result.kind === 'body') {
      request.signal.removeEventListener('abort', abort);
      return new Response(result.body, { status: result.status, headers: result.headers });
    }
    const iterator = encodeFrames(result.events, result.encoder)[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        try {
          const next = await iterator.next();
          if (next.done) {
            request.signal.removeEventListener('abort', abort);
            stream.close();
          } else stream.enqueue(encoder.encode(next.value));
        } catch (error) {
          stream.error(error);
        }
      },
      async cancel(reason) {
        controller.abort(reason);
        await iterator.return?.(undefined);
      },
    });
    return new Response(body, { status: result.status, headers: result.headers });
  };
}
