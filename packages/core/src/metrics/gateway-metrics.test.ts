import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './gateway-metrics.ts';

describe('GatewayMetrics', () => {
  it('renders request, latency, first-token, token, cost and error series', async () => {
    const metrics = new GatewayMetrics();
    metrics.observeRequest({
      requestId: 'r1',
      route: 'chat',
      provider: 'openai',
      model: 'gpt-4o',
      status: 200,
      stream: true,
      attempts: 1,
      latencyMs: 1_500,
      firstTokenMs: 300,
      inputTokens: 12,
      outputTokens: 30,
      costUsd: 0.0021,
      cache: 'miss',
      startedAt: 0,
    });
    metrics.observeRequest({
      requestId: 'r2',
      route: 'chat',
      status: 502,
      stream: false,
      attempts: 3,
      latencyMs: 40,
      errorKind: 'connection',
      startedAt: 0,
    });
    const text = await metrics.render();
    expect(text).toContain(
      'switchyard_requests_total{route="chat",provider="openai",status="200",stream="true"} 1',
    );
    expect(text).toContain(
      'switchyard_requests_total{route="chat",provider="",status="502",stream="false"} 1',
    );
    expect(text).toContain(
      'switchyard_request_duration_seconds_bucket{le="2",route="chat",provider="openai",stream="true"} 1',
    );
    expect(text).toContain(
      'switchyard_request_duration_seconds_bucket{le="1",route="chat",provider="openai",stream="true"} 0',
    );
    expect(text).toContain(
      'switchyard_first_token_seconds_sum{route="chat",provider="openai"} 0.3',
    );
    expect(text).toContain(
      'switchyard_tokens_total{route="chat",provider="openai",direction="input"} 12',
    );
    expect(text).toContain(
      'switchyard_tokens_total{route="chat",provider="openai",direction="output"} 30',
    );
    expect(text).toContain('switchyard_cost_usd_total{route="chat",provider="openai"} 0.0021');
    expect(text).toContain(
      'switchyard_request_errors_total{route="chat",provider="",kind="connection"} 1',
    );
    expect(text).toContain('switchyard_cache_lookups_total{route="chat",result="miss"} 1');
  });

  it('renders retries, fallbacks, circuit state, health and dropped log rows', async () => {
    const metrics = new GatewayMetrics({ prefix: 'gw_' });
    metrics.countRetry('openai', 'rate_limited');
    metrics.countRetry('openai', 'rate_limited');
    metrics.countFallback('openai', 'anthropic');
    metrics.setCircuitState('openai', undefined, 'open');
    metrics.setCircuitState('openai', 'gpt-4o', 'half-open');
    metrics.setHealth('openai', false);
    metrics.setHealth('lmstudio', true, 120);
    metrics.countDroppedLogs(5);
    const text = await metrics.render();
    expect(text).toContain('gw_retries_total{provider="openai",kind="rate_limited"} 2');
    expect(text).toContain('gw_fallbacks_total{from="openai",to="anthropic"} 1');
    expect(text).toContain('gw_circuit_state{provider="openai",model=""} 2');
    expect(text).toContain('gw_circuit_state{provider="openai",model="gpt-4o"} 1');
    expect(text).toContain('gw_provider_healthy{provider="openai"} 0');
    expect(text).toContain('gw_provider_healthy{provider="lmstudio"} 1');
    expect(text).toContain('gw_provider_response_time_seconds{provider="lmstudio"} 0.12');
    expect(text).toContain('gw_request_log_dropped_total 5');
    expect(metrics.contentType).toContain('text/plain');

    metrics.removeProvider('openai');
    const after = await metrics.render();
    expect(after).not.toContain('gw_circuit_state{provider="openai"');
    expect(after).not.toContain('gw_provider_healthy{provider="openai"}');
  });

  it('measures generation speed after the first token, never for cache hits or failures', async () => {
    const metrics = new GatewayMetrics();
    const base = { requestId: 'r', route: 'chat', provider: 'p', attempts: 1, startedAt: 0 };
    // 100 tokens in the 2 s after the first token: 50 per second.
    const streamed = { status: 200, stream: true, latencyMs: 2_500, firstTokenMs: 500 };
    metrics.observeRequest(Object.assign({ outputTokens: 100 }, base, streamed));
    // 30 tokens in a 1.5 s answer: 20 per second.
    const whole = { status: 200, stream: false, latencyMs: 1_500, outputTokens: 30 };
    metrics.observeRequest(Object.assign({}, base, whole));
    const hit = { status: 200, stream: false, latencyMs: 1, outputTokens: 30 };
    metrics.observeRequest(Object.assign({ cache: 'hit' as const }, base, hit));
    const cut = { status: 502, stream: true, latencyMs: 900, outputTokens: 9 };
    metrics.observeRequest(Object.assign({ errorKind: 'connection' }, base, cut));
    metrics.observeSlotWait('key', 2);
    const text = await metrics.render();
    expect(text).toContain('switchyard_output_tokens_per_second_sum{route="chat",provider="p"} 70');
    expect(text).toContain(
      'switchyard_output_tokens_per_second_count{route="chat",provider="p"} 2',
    );
    expect(text).toContain(
      'switchyard_concurrency_slot_wait_seconds_bucket{le="0.0025",scope="key"} 1',
    );
    expect(text).toContain(
      'switchyard_concurrency_slot_wait_seconds_bucket{le="0.001",scope="key"} 0',
    );
  });

  it('keeps separate gateways apart', async () => {
    const first = new GatewayMetrics();
    const second = new GatewayMetrics();
    first.countFallback('a', 'b');
    expect(await second.render()).not.toContain('switchyard_fallbacks_total{');
  });
});
