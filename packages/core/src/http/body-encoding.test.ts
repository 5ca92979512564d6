import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import { KeyRing } from '../keys/key-ring.ts';
import { Gateway } from '../service/gateway.ts';
import { GatewayError } from '../spec/errors.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { decodeBody } from './body-encoding.ts';
import { createHttpHandler } from './fetch-handler.ts';
import { createNodeHandler } from './node-handler.ts';

const body = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });

function statusOf(run: () => unknown): number | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof GatewayError ? error.status : -1;
  }
  return undefined;
}

describe('decodeBody', () => {
  it('decodes gzip, deflate and br bodies, and passes plain ones', () => {
    const raw = Buffer.from(body);
    expect(decodeBody(gzipSync(raw), 'gzip', 1_000)).toBe(body);
    expect(decodeBody(deflateSync(raw), 'Deflate', 1_000)).toBe(body);
    expect(decodeBody(brotliCompressSync(raw), 'br', 1_000)).toBe(body);
    expect(decodeBody(raw, undefined, 1_000)).toBe(body);
    expect(decodeBody(raw, 'identity', 1_000)).toBe(body);
  });

  it('applies the size limit to the decoded body (413), not only the compressed one', () => {
    const bomb = gzipSync(Buffer.alloc(10_000_000, 'a'));
    expect(bomb.length).toBeLessThan(20_000);
    expect(statusOf(() => decodeBody(bomb, 'gzip', 1_000_000))).toBe(413);
  });

  it('refuses an unknown encoding with 415 and corrupt data with 400', () => {
    expect(statusOf(() => decodeBody(Buffer.from(body), 'zstd', 1_000))).toBe(415);
    expect(statusOf(() => decodeBody(Buffer.from(body), 'gzip', 1_000))).toBe(400);
  });
});

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function newGateway(): Gateway {
  const adapters = scriptedRegistry({ a: new ScriptedAdapter('a') });
  const config = parseConfig(
    {
      providers: [
        { id: 'a', name: 'a', type: 'openai-compatible', endpoint: 'http://127.0.0.1:9' },
      ],
      routes: [{ name: 'chat', targets: [{ provider: 'a' }] }],
    },
    adapters,
  );
  gateway = new Gateway({ config, adapters, monitorHealth: false });
  return gateway;
}

describe('compressed request bodies through the HTTP handlers', () => {
  it('answers a gzip-encoded chat request (Fetch handler)', async () => {
    const handle = createHttpHandler({ gateway: newGateway(), keys: new KeyRing() });
    const response = await handle(
      new Request('http://127.0.0.1/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(Buffer.from(body)),
      }),
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(answer.choices[0]?.message.content).toBe('answer from a');
  });

  it('answers a gzip-encoded chat request and refuses zstd with 415 (node:http handler)', async () => {
    const handler = createNodeHandler({ gateway: newGateway(), keys: new KeyRing() });
    const server = createServer((request, response) => void handler(request, response));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
    try {
      const post = (encoding: string, payload: Buffer) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': encoding },
          body: payload,
          signal: AbortSignal.timeout(10_000),
        });
      const gzipped = await post('gzip', gzipSync(Buffer.from(body)));
      expect(gzipped.status).toBe(200);
      const refused = await post('zstd', Buffer.from(body));
      expect(refused.status).toBe(415);
      const error = (await refused.json()) as { error: { code: string } };
      expect(error.error.code).toBe('unsupported_content_encoding');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
