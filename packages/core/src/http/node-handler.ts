// The REST proxy on node:http, without web streams on the hot path: bodies are read from the
// IncomingMessage, answers written to the ServerResponse, SSE frames written as they come with
// `drain` backpressure, and a closed client connection aborts the upstream call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeBody } from './body-encoding.ts';
import { bodyTooLarge, createGatewayHttp, type GatewayHttpOptions } from './gateway-http.ts';

export type NodeHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

function readLimited(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.reject(bodyTooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(bodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        resolve(decodeBody(raw, request.headers['content-encoding'], limit));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    request.on('error', reject);
  });
}

export function createNodeHandler(options: GatewayHttpOptions): NodeHandler {
  const handle = createGatewayHttp(options);

  return async (request, response) => {
    const controller = new AbortController();
    const onClose = () => {
      if (!response.writableFinished) controller.abort(new Error('client disconnected'));
    };
    response.on('close', onClose);
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const result = await handle({
      method: request.method ?? 'GET',
      path: query === -1 ? url : url.slice(0, query),
      header: (name) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      },
      readBody: (limit) => readLimited(request, limit),
      signal: controller.signal,
    });
    if (result.kind === 'body') {
      response.writeHead(
        result.status,
        Object.assign({}, result.headers, { 'content-length': Buffer.byteLength(result.body) }),
      );
      response.end(result.body);
      return;
    }
    response.writeHead(result.status, result.headers);
    const { encoder } = result;
    const iterator = result.events[Symbol.asyncIterator]();
    // Frames parsed from one upstream read arrive within one turn of the event loop: cork the
    // socket and flush them together (one write instead of one per frame).
    let corked = false;
    const uncork = () => {
      corked = false;
      response.uncork();
    };
    const write = async (frame: string): Promise<void> => {
      if (!corked) {
        corked = true;
        response.cork();
        setImmediate(uncork);
      }
      if (response.write(frame)) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      });
    };
    let finished = false;
    try {
      for (;;) {
        if (controller.signal.aborted) break;
        const next = await iterator.next();
        if (next.done) {
          finished = true;
          break;
        }
        const frame = encoder.encode(next.value);
        if (frame) await write(frame);
        if (encoder.ended) break;
      }
      if (finished) response.write(encoder.finish());
    } finally {
      if (!finished) await iterator.return?.();
      response.end();
    }
  };
}
