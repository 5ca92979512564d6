// The gateway under test, wired as the standalone gateway wires it (core's Gateway and node
// handler, the real adapters), in front of two fake upstreams; and a client that reads a stream
// the way an SDK does.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultAdapters } from '@switchyard/adapters';
import {
  activeKeysFromConfig,
  createNodeHandler,
  DEFAULT_CIRCUIT_BREAKER_SETTINGS,
  Gateway,
  KeyRing,
  parseConfig,
  type ConfigInput,
  type GatewayConfig,
} from '@switchyard/core';
import { FakeUpstream, type JsonStyle } from './fake-upstream.ts';

export const API_KEY = 'sk-failover-scenarios';

/** Scenario time in ms, scaled to this run. */
export type Scaled = (ms: number) => number;

/** The one place config is parsed, so a change to `parseConfig`'s arguments is a one-line fix. */
export function gatewayConfig(input: ConfigInput): GatewayConfig {
  return parseConfig(input, defaultAdapters);
}

export interface ScenarioOptions {
  /** Both upstreams declare that they continue from an assistant prefill. */
  prefill?: boolean;
  /** The shipped circuit-breaker defaults (time-scaled) instead of the scenarios' own settings. */
  shippedCircuitDefaults?: boolean;
}

/** The shipped circuit-breaker defaults with their durations scaled to this run. */
function scaledCircuitDefaults(at: Scaled): ConfigInput['circuitBreaker'] {
  const defaults = DEFAULT_CIRCUIT_BREAKER_SETTINGS;
  return {
    ...defaults,
    windowMs: at(defaults.windowMs),
    cooldownMs: at(defaults.cooldownMs),
    maxCooldownMs: at(defaults.maxCooldownMs),
    slowStartMs: at(defaults.slowStartMs),
  };
}

export function scenarioConfig(
  primary: string,
  fallback: string,
  at: Scaled,
  options: ScenarioOptions = {},
): ConfigInput {
  const models = options.prefill ? [{ name: 'chat', assistantPrefill: true }] : [];
  return {
    providers: [
      {
        id: 'primary',
        name: 'Primary',
        type: 'openai-compatible',
        endpoint: primary,
        priority: 1,
        models,
      },
      {
        id: 'fallback',
        name: 'Fallback',
        type: 'openai-compatible',
        endpoint: fallback,
        priority: 2,
        models,
      },
    ],
    routes: [
      {
        name: 'chat',
        targets: [{ provider: 'primary' }, { provider: 'fallback' }],
        contextLengthFallback: 'long',
      },
      { name: 'long', targets: [{ provider: 'fallback', model: 'long-context' }] },
    ],
    keys: [{ name: 'scenarios', key: API_KEY }],
    retryAttempts: 2,
    retryDelay: at(200),
    timeout: at(30_000),
    requestTimeout: at(60_000),
    firstTokenTimeout: at(10_000),
    streamIdleTimeout: at(10_000),
    enableHealthMonitoring: false,
    circuitBreaker: options.shippedCircuitDefaults
      ? scaledCircuitDefaults(at)
      : { consecutiveFailures: 5, cooldownMs: at(2_000), maxCooldownMs: at(5_000) },
  };
}

export class Harness {
  readonly primary: FakeUpstream;
  readonly fallback: FakeUpstream;
  gateway: Gateway | undefined;
  private server: Server | undefined;
  private port = 0;

  constructor(
    readonly style: JsonStyle,
    readonly at: Scaled,
    readonly options: ScenarioOptions = {},
  ) {
    this.primary = new FakeUpstream('primary-model', style);
    this.fallback = new FakeUpstream('fallback-model', style);
  }

  async start(): Promise<void> {
    await Promise.all([this.primary.start(), this.fallback.start()]);
    this.restartGateway();
    this.server = createServer((request, response) => {
      if (!this.handler) return void response.destroy();
      void this.handler(request, response);
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** A fresh gateway (fresh circuits and health) for the next scenario. */
  restartGateway(): void {
    void this.gateway?.close();
    const config = gatewayConfig(
      scenarioConfig(this.primary.origin, this.fallback.origin, this.at, this.options),
    );
    // Passive ejection lasts as long as the circuits' first cooldown: scaled with the config.
    const gateway = new Gateway({ config, adapters: defaultAdapters, monitorHealth: false });
    const keys = new KeyRing(gateway.clock);
    keys.setKeys(activeKeysFromConfig(config.keys));
    this.gateway = gateway;
    this.handler = createNodeHandler({ gateway, keys });
  }

  private handler: ReturnType<typeof createNodeHandler> | undefined;

  async close(): Promise<void> {
    await this.gateway?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    await Promise.all([this.primary.close(), this.fallback.close()]);
  }

  /** Posts a raw body, for input no client library would build. */
  async post(body: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`http://127.0.0.1:${this.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, text: await response.text() };
  }

  /** One streamed chat completion, read to its end. */
  async chat(extra: Record<string, unknown> = {}): Promise<StreamResult> {
    const startedAt = Date.now();
    const response = await fetch(`http://127.0.0.1:${this.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'chat',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'count' }],
        ...extra,
      }),
      signal: AbortSignal.timeout(this.at(200_000)),
    });
    const text = await response.text();
    return readStream(response.status, response.headers, text, Date.now() - startedAt);
  }
}

export interface StreamResult {
  status: number;
  headers: Headers;
  elapsedMs: number;
  content: string;
  done: boolean;
  error: { message: string; code?: string; type?: string } | undefined;
  usage: { prompt_tokens: number; completion_tokens: number } | undefined;
  models: string[];
  roleChunks: number;
  /** The body when the answer was not a stream (an error envelope). */
  body: string;
}

interface WireChunk {
  model?: string;
  choices?: Array<{ delta?: { role?: string; content?: string | null } }>;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  error?: { message: string; code?: string; type?: string };
}

function readStream(
  status: number,
  headers: Headers,
  text: string,
  elapsedMs: number,
): StreamResult {
  const result: StreamResult = {
    status,
    headers,
    elapsedMs,
    content: '',
    done: false,
    error: undefined,
    usage: undefined,
    models: [],
    roleChunks: 0,
    body: text,
  };
  if (!(headers.get('content-type') ?? '').includes('event-stream')) {
    result.error = (JSON.parse(text) as WireChunk).error;
    return result;
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      result.done = true;
      continue;
    }
    const chunk = JSON.parse(data) as WireChunk;
    if (chunk.error) result.error = chunk.error;
    if (chunk.model && !result.models.includes(chunk.model)) result.models.push(chunk.model);
    if (chunk.usage) result.usage = chunk.usage;
    for (const choice of chunk.choices ?? []) {
      if (choice.delta?.role) result.roleChunks++;
      result.content += choice.delta?.content ?? '';
    }
  }
  return result;
}

/** The answer the fake upstream streams for `tokens` tokens. */
export function expectedContent(tokens: number): string {
  return Array.from({ length: tokens }, (_, token) => `t${token} `).join('');
}
