// What a slow or greedy client can hold on the standalone server: header and body deadlines and
// connections per address — while a stream longer than those deadlines still runs to its end.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

let slow: OpenAIMock;
let gateway: TestGateway;
let port: number;

beforeAll(async () => {
  // 30 chunks 50 ms apart: a 1.5 s stream, longer than every deadline below.
  slow = await startOpenAIMock({ behaviour: { streamChunks: 30, chunkIntervalMs: 50 } });
  gateway = await startTestGateway(
    {
      providers: [{ id: 'slow', name: 'Slow', type: 'openai', endpoint: slow.url, apiKey: 'k' }],
      retryAttempts: 0,
    },
    {
      headersTimeoutMs: 300,
      requestTimeoutMs: 500,
      timeoutCheckIntervalMs: 50,
      maxConnectionsPerClient: 4,
    },
  );
  port = gateway.server.port;
});

afterAll(async () => {
  await gateway.close();
  await slow.close();
  await closeHttpAgent();
});

interface RawConnection {
  socket: Socket;
  /** Resolves with the ms the connection stayed open and what the server sent. */
  closed: Promise<{ afterMs: number; received: string }>;
}

function open(): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise<{ afterMs: number; received: string }>((settle) =>
      socket.on('close', () => settle({ afterMs: Date.now() - started, received })),
    );
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

describe('the standalone server’s client bounds', () => {
  it('cuts a client that trickles its headers', async () => {
    const connection = await open();
    connection.socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n');
    const { afterMs } = await connection.closed;
    expect(afterMs).toBeLessThan(3_000);
  });

  it('cuts a client that trickles its body, with a 408', async () => {
    const connection = await open();
    connection.socket.write(
      'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{',
    );
    const timer = setInterval(() => connection.socket.write(' '), 100);
    try {
      const { afterMs, received } = await connection.closed;
      expect(afterMs).toBeLessThan(3_000);
      expect(received).toContain('408');
    } finally {
      clearInterval(timer);
    }
  });

  it('refuses connections beyond the bound per client address, and accepts again once they close', async () => {
    const held = await Promise.all([open(), open(), open(), open()]);
    const extra = await open();
    const { afterMs } = await extra.closed;
    expect(afterMs).toBeLessThan(1_000);
    for (const connection of held) expect(connection.socket.destroyed).toBe(false);
    for (const connection of held) connection.socket.destroy();
    await Promise.all(held.map((connection) => connection.closed));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await fetch(`${gateway.url}/health`);
    expect(response.status).toBe(200);
  });

  it('lets a stream run past the header and body deadlines', async () => {
    const started = Date.now();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'any-model',
        messages: [{ role: 'user', content: 'a long answer please, with many words in it' }],
        stream: true,
      }),
    });
    const text = await response.text();
    expect(Date.now() - started).toBeGreaterThan(1_000);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });
});
