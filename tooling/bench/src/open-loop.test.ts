import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  dueCount,
  isSaturated,
  plannedRequests,
  runOpenLoop,
  scheduleOffsetMs,
} from './open-loop.ts';
import type { BenchRequest } from './bench-request.ts';

describe('the open-loop schedule', () => {
  it('sends request k at k/rate after t0, whatever the answers', () => {
    expect(scheduleOffsetMs(0, 500)).toBe(0);
    expect(scheduleOffsetMs(1, 500)).toBe(2);
    expect(scheduleOffsetMs(250, 500)).toBe(500);
    expect(scheduleOffsetMs(3, 1000)).toBe(3);
  });

  it('plans rate × duration requests', () => {
    expect(plannedRequests(500, 5000)).toBe(2500);
    expect(plannedRequests(1000, 1500)).toBe(1500);
    expect(plannedRequests(100, 1)).toBe(1);
  });

  it('counts the requests due at a moment, request 0 being due at t0', () => {
    expect(dueCount(-1, 500, 100)).toBe(0);
    expect(dueCount(0, 500, 100)).toBe(1);
    expect(dueCount(1.999, 500, 100)).toBe(1);
    expect(dueCount(2, 500, 100)).toBe(2);
    // 0.1 s at 1000 req/s: requests 0..100 are due, floating-point rounding notwithstanding.
    expect(dueCount(100, 1000, 5000)).toBe(101);
    expect(dueCount(0.3, 10_000, 5000)).toBe(4);
    expect(dueCount(60_000, 500, 100)).toBe(100);
  });

  it('calls a run saturated when answers fall behind the offered rate or never come', () => {
    const held = {
      planned: 1000,
      completed: 1000,
      errors: 0,
      unfinished: 0,
      achievedRate: 998,
      offeredRate: 1000,
    };
    expect(isSaturated(held)).toBe(false);
    expect(isSaturated({ ...held, achievedRate: 700 })).toBe(true);
    expect(isSaturated({ ...held, completed: 990, unfinished: 10 })).toBe(true);
    expect(isSaturated({ ...held, completed: 950, errors: 50 })).toBe(false);
  });
});

describe('runOpenLoop against a local server', () => {
  let server: Server | undefined;

  afterEach(async () => {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
  });

  async function serve(handler: RequestListener): Promise<BenchRequest> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      origin: `http://127.0.0.1:${port}`,
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"m"}',
      stream: false,
    };
  }

  it('sends every planned request and measures each answer', async () => {
    const seen: string[] = [];
    const request = await serve((incoming, response) => {
      let body = '';
      incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
      incoming.on('end', () => {
        seen.push(`${incoming.method} ${incoming.url} ${body}`);
        response.end('{"ok":true}');
      });
    });
    const result = await runOpenLoop({ request, ratePerSecond: 200, durationMs: 300 });
    expect(result.planned).toBe(60);
    expect(result.completed).toBe(60);
    expect(result.errors).toBe(0);
    expect(result.unfinished).toBe(0);
    expect(seen).toHaveLength(60);
    expect(seen[0]).toBe('POST /v1/chat/completions {"model":"m"}');
    expect(result.latencyUs.count).toBe(60);
    expect(result.latencyUs.p50).toBeGreaterThan(0);
    expect(result.latencyUs.p50).toBeLessThanOrEqual(result.latencyUs.max);
  });

  it('counts failed answers as errors, by message', async () => {
    const request = await serve((_incoming, response) => {
      response.statusCode = 503;
      response.end('busy');
    });
    const result = await runOpenLoop({ request, ratePerSecond: 100, durationMs: 200 });
    expect(result.completed).toBe(0);
    expect(result.errors).toBe(20);
    expect(result.errorMessages).toEqual({ 'HTTP 503': 20 });
  });

  it('shows queueing when the server cannot keep the rate: latency grows from the scheduled time', async () => {
    // One connection to a server that takes 20 ms per answer: at most 50 answers/s for 200 offered.
    const request = await serve((incoming, response) => {
      incoming.resume();
      incoming.on('end', () => setTimeout(() => response.end('{}'), 20));
    });
    const result = await runOpenLoop({
      request,
      ratePerSecond: 200,
      durationMs: 300,
      connections: 1,
      drainMs: 300,
    });
    expect(result.saturated).toBe(true);
    expect(result.unfinished).toBeGreaterThan(0);
    // The last answered requests waited in the queue far longer than the 20 ms service time.
    expect(result.latencyUs.max).toBeGreaterThan(100_000);
  });
});
