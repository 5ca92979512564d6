import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listen, ListenError } from './listen.ts';

describe('listen', () => {
  it('resolves once the server listens', async () => {
    const server = createServer();
    await listen(server, 0, '127.0.0.1');
    expect((server.address() as AddressInfo).port).toBeGreaterThan(0);
    server.close();
  });

  it('says the port is in use, instead of throwing EADDRINUSE later', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      const error = await listen(createServer(), port, '127.0.0.1').catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ListenError);
      expect((error as Error).message).toBe(
        `port ${port} is already in use on 127.0.0.1: stop the other process, or choose another port (PORT)`,
      );
    } finally {
      taken.close();
    }
  });
});
