import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTickUpstream } from './servers/tick-upstream.ts';
import { loopbackSources, runStreamFleet } from './stream-fleet.ts';
import { chatBody, messagesBody } from './workload.ts';

const apiKey = 'sk-tick-test';
let tick: { server: Server; port: number };

beforeAll(async () => {
  tick = await startTickUpstream({ apiKey });
});
afterAll(() => {
  tick.server.closeAllConnections();
  tick.server.close();
});

const request = (path: string, body: string, streamEnd?: string) => ({
  origin: `http://127.0.0.1:${tick.port}`,
  path,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
  body,
  stream: true,
  ...(streamEnd ? { streamEnd } : {}),
});

describe('the tick upstream and the stream fleet', () => {
  it('holds every stream at once and receives every OpenAI frame in order', async () => {
    const result = await runStreamFleet({
      // 1.5 s per stream, all opened within 20 ms: they overlap even on a busy machine.
      request: request('/v1/chat/completions', chatBody('tick', true, 30)),
      streams: 40,
      frames: 30,
      rampMs: 20,
      drainMs: 5000,
      sourceAddresses: loopbackSources(4),
    });
    expect(result).toMatchObject({
      streams: 40,
      clean: 40,
      errors: 0,
      receivedFrames: 1200,
      lostFrames: 0,
      reorderedFrames: 0,
      duplicatedFrames: 0,
    });
    expect(result.frameDelayUs.count).toBe(1200);
    // Same machine, same clock: a frame cannot arrive before it was written.
    expect(result.frameDelayUs.p50).toBeGreaterThanOrEqual(0);
    // Frames 50 ms apart: the first comes after one interval.
    expect(result.firstFrameUs.p50).toBeGreaterThanOrEqual(45_000);
    const { open, peak, clients } = (await (
      await fetch(`http://127.0.0.1:${tick.port}/bench/streams`)
    ).json()) as { open: number; peak: number; clients: number };
    expect(open).toBe(0);
    expect(peak).toBe(40);
    // Spread over the four source addresses.
    expect(clients).toBe(4);
  });

  it('lists its models for health checks', async () => {
    const response = await fetch(`http://127.0.0.1:${tick.port}/v1/models`);
    expect(response.status).toBe(200);
    const list = (await response.json()) as { data: Array<{ id: string }> };
    expect(list.data.map((model) => model.id)).toEqual(['gpt-4o-mini', 'claude-haiku-4-5']);
  });

  it('names the loopback source addresses after 127.0.0.1', () => {
    expect(loopbackSources(3)).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
  });

  it('speaks the Messages API too, ending with message_stop', async () => {
    const result = await runStreamFleet({
      request: request(
        '/v1/messages',
        messagesBody('claude', true, 3),
        'data: {"type":"message_stop"}',
      ),
      streams: 5,
      frames: 3,
      rampMs: 10,
      drainMs: 5000,
    });
    expect(result).toMatchObject({ clean: 5, errors: 0, lostFrames: 0, receivedFrames: 15 });
  });

  it('counts the frames of a stream that asked for more than it got as lost, and a failed one as an error', async () => {
    // The client expects 5 frames, the upstream is asked for 3.
    const short = await runStreamFleet({
      request: request('/v1/chat/completions', chatBody('tick', true, 3)),
      streams: 2,
      frames: 5,
      rampMs: 10,
      drainMs: 5000,
    });
    expect(short).toMatchObject({ clean: 0, errors: 0, lostFrames: 4, receivedFrames: 6 });
    const refused = await runStreamFleet({
      request: { ...request('/v1/chat/completions', chatBody('tick', true, 3)), headers: {} },
      streams: 2,
      frames: 3,
      rampMs: 10,
      drainMs: 5000,
    });
    expect(refused).toMatchObject({ clean: 0, errors: 2, lostFrames: 6 });
    expect(refused.errorMessages).toEqual({
      'HTTP 401: {"error":{"message":"invalid api key"}}': 2,
    });
  });
});
