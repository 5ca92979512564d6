import { describe, expect, it } from 'vitest';
import { parseWrkOutput, wrkScript } from './wrk.ts';

const OUTPUT = `Running 5s test @ http://127.0.0.1:41234/v1/chat/completions
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.52ms  412.00us  12.30ms   91.20%
    Req/Sec    33.10k     1.20k   35.00k    80.00%
  Latency Distribution
     50%  1.43ms
     75%    1.60ms
     90%  850.00us
     99%    2.10s
  165432 requests in 5.00s, 140.21MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 12
Requests/sec:  33086.40
Transfer/sec:     28.04MB
`;

describe('parseWrkOutput', () => {
  it('reads the rate, the request count, the failures and the latency distribution in µs', () => {
    expect(parseWrkOutput(OUTPUT)).toEqual({
      requests: 165_432,
      requestsPerSecond: 33_086.4,
      non2xx: 12,
      socketErrors: 5,
      latencyUs: { p50: 1430, p90: 850, p99: 2_100_000 },
    });
  });

  it('reads a clean run without error lines', () => {
    const clean = OUTPUT.replace(/ {2}Socket errors.*\n/, '').replace(/ {2}Non-2xx.*\n/, '');
    const summary = parseWrkOutput(clean);
    expect(summary.non2xx).toBe(0);
    expect(summary.socketErrors).toBe(0);
  });

  it('refuses output it does not understand instead of reporting zero', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(
      /unexpected wrk output/,
    );
  });
});

describe('wrkScript', () => {
  const script = wrkScript({
    origin: 'http://127.0.0.1:1',
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-1' },
    body: '{"messages":[{"role":"user","content":"say \\"hi\\""}]}',
    stream: false,
  });

  it('sends a POST with the body and every header, quoted so JSON needs no escaping', () => {
    expect(script).toContain('wrk.method = "POST"');
    expect(script).toContain(
      'wrk.body = [==[{"messages":[{"role":"user","content":"say \\"hi\\""}]}]==]',
    );
    expect(script).toContain('[==[authorization]==] ] = [==[Bearer sk-1]==]');
  });

  it('never opens a header index with "[[", which Lua reads as the start of a long string', () => {
    expect(script).not.toMatch(/headers\[\[/);
  });
});
