import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import { activeKeysFromConfig, KeyRing } from '../keys/key-ring.ts';
import { Gateway } from '../service/gateway.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { createHttpHandler, type FetchHandler } from './fetch-handler.ts';

const KEY = 'sk-sy-test-key-0001';
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
});

function setup(
  adapters: Record<string, ScriptedAdapter> = {
    a: new ScriptedAdapter('a'),
    b: new ScriptedAdapter('b'),
  },
  extra: Record<string, unknown> = {},
): { handle: FetchHandler; adapters: Record<string, ScriptedAdapter> } {
  const registry = scriptedRegistry(adapters);
  const config = parseConfig(
    {
      providers: Object.keys(adapters).map((id, index) => ({
        id,
        name: id,
        type: 'openai-compatible',
        endpoint: `http://127.0.0.1:${9100 + index}`,
        priority: index,
        models: [{ name: 'm', inputPricePerMTok: 1000000, outputPricePerMTok: 1000000 }],
      })),
      routes: [
        {
          name: 'chat',
          targets: Object.keys(adapters).map((provider) => ({ provider })),
          maxTokens: 1000,
          cache: { enabled: true, ttlSeconds: 60 },
        },
      ],
      keys: [
        { name: 'dev', key: KEY, limits: { requestsPerMinute: 3 } },
        { name: 'narrow', key: 'sk-sy-narrow-key-0002', allowedRoutes: ['m'] },
        { name: 'broke', key: 'sk-sy-budget-key-0003', monthlyBudgetUsd: 0.5 },
      ],
      retryAttempts: 0,
      enableHealthMonitoring: false,
      maxRequestBodyBytes: 2048,
      ...extra,
    },
    registry,
  );
  gateway = new Gateway({ config, adapters: registry, monitorHealth: false });
  const keys = new KeyRing();
  keys.setKeys(activeKeysFromConfig(config.keys));
  return { handle: createHttpHandler({ gateway, keys }), adapters };
}

function post(body: unknown, headers: Record<string, string> = {}, key = KEY): Request {
  return new Request('http://gateway/v1/chat/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const chat = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };

describe('REST contract', () => {
  it('answers a chat completion with the switchyard headers', async () => {
    const { handle } = setup();
    const response = await handle(post(chat, { 'x-request-id': 'req-42' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-provider')).toBe('a');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(response.headers.get('x-request-id')).toBe('req-42');
    const body = (await response.json()) as {
      object: string;
      choices: Array<{ message: { content: string }; finish_reason: string }>;
    };
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]).toMatchObject({
      message: { content: 'answer from a' },
      finish_reason: 'stop',
    });
    const again = await handle(post(chat));
    expect(again.headers.get('x-switchyard-cache')).toBe('hit');
  });

  it('uses the OpenAI error envelope with the contract statuses', async () => {
    const { handle } = setup();
    const cases: Array<[Request, number, string]> = [
      [post(chat, {}, 'sk-sy-wrong'), 401, 'invalid_api_key'],
      [post({ ...chat, model: 'chat' }, {}, 'sk-sy-narrow-key-0002'), 403, 'model_not_allowed'],
      [post({ ...chat, model: 'nope' }), 404, 'model_not_found'],
      [post('{not json'), 400, 'invalid_json'],
      [post({ model: 'chat' }), 400, 'invalid_request'],
      [post({ ...chat, max_tokens: 5000 }), 400, 'invalid_request'],
      [post({ ...chat, padding: 'x'.repeat(4096) }), 413, 'request_too_large'],
    ];
    for (const [request, status, code] of cases) {
      const response = await handle(request);
      expect(response.status, code).toBe(status);
      const body = (await response.json()) as {
        error: { message: string; type: string; param: string | null; code: string };
      };
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe('string');
      expect(body.error).toHaveProperty('param');
    }
  });

  it('names the bad field of an invalid body', async () => {
    const { handle } = setup();
    const response = await handle(
      post({ model: 'chat', messages: [{ role: 'user', content: 'x' }], temperature: 7 }),
    );
    const body = (await response.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe('temperature');
    expect(body.error.message).toContain('temperature');
  });

  it('answers 429 with Retry-After when a key is over its request limit', async () => {
    const { handle } = setup();
    for (let index = 0; index < 3; index++)
      expect((await handle(post({ ...chat, model: 'm' }))).status).toBe(200);
    const limited = await handle(post({ ...chat, model: 'm' }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 429 budget_exceeded once a key has spent its monthly budget', async () => {
    const { handle } = setup();
    // 10 input + 5 output tokens at $1 per token = $15, past the $0.50 budget.
    expect((await handle(post({ ...chat, model: 'm' }, {}, 'sk-sy-budget-key-0003'))).status).toBe(
      200,
    );
    const over = await handle(post({ ...chat, model: 'm' }, {}, 'sk-sy-budget-key-0003'));
    expect(over.status).toBe(429);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('budget_exceeded');
  });

  it('answers 503 no_healthy_providers and 502 naming the providers tried', async () => {
    const down = { fail: { kind: 'connection' as const, message: 'connection refused' } };
    const { handle } = setup({
      a: new ScriptedAdapter('a', [], down),
      b: new ScriptedAdapter('b', [], down),
    });
    const failed = await handle(post(chat));
    expect(failed.status).toBe(502);
    const failedMessage = ((await failed.json()) as { error: { message: string } }).error.message;
    expect(failedMessage).toContain('a (connection); b (connection)');
    expect(failedMessage).not.toContain('connection refused');
    const pinnedDisabled = setup(
      { a: new ScriptedAdapter('a') },
      {
        providers: [
          {
            id: 'a',
            name: 'a',
            type: 'openai-compatible',
            endpoint: 'http://127.0.0.1:1',
            enabled: false,
          },
        ],
        routes: [],
      },
    );
    const unavailable = await pinnedDisabled.handle(
      post({ messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(unavailable.status).toBe(503);
    expect(((await unavailable.json()) as { error: { code: string } }).error.code).toBe(
      'no_healthy_providers',
    );
  });

  it('streams SSE ending in [DONE], with usage only when asked for', async () => {
    const { handle } = setup({
      a: new ScriptedAdapter('a', [{ stream: ['Hel', 'lo'] }, { stream: ['x'] }]),
    });
    const response = await handle(
      post({ ...chat, stream: true, stream_options: { include_usage: true } }),
    );
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames.slice(0, -1).map(
      (frame) =>
        JSON.parse(frame.slice('data: '.length)) as {
          object: string;
          choices: unknown[];
          usage?: { total_tokens: number };
        },
    );
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(12);
    const plain = await (await handle(post({ ...chat, model: 'm', stream: true }))).text();
    expect(plain).not.toContain('"usage"');
  });

  it('ends a stream cut after the first token with an error event and no [DONE]', async () => {
    const { handle } = setup({
      a: new ScriptedAdapter('a', [{ stream: ['one', 'two'], cutAfter: 1 }]),
    });
    const text = await (await handle(post({ ...chat, stream: true }))).text();
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
  });

  it('lists the models a key may use, and reports health and metrics', async () => {
    const { handle } = setup();
    const models = (await (
      await handle(
        new Request('http://gateway/v1/models', { headers: { authorization: `Bearer ${KEY}` } }),
      )
    ).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((model) => model.id).sort()).toEqual(['chat', 'm']);
    const narrow = (await (
      await handle(
        new Request('http://gateway/v1/models', {
          headers: { authorization: 'Bearer sk-sy-narrow-key-0002' },
        }),
      )
    ).json()) as { data: Array<{ id: string }> };
    expect(narrow.data.map((model) => model.id)).toEqual(['m']);
    expect(await (await handle(new Request('http://gateway/health'))).json()).toEqual({
      status: 'ok',
    });
    const providers = (await (
      await handle(
        new Request('http://gateway/health/providers', {
          headers: { authorization: `Bearer ${KEY}` },
        }),
      )
    ).json()) as Array<Record<string, unknown>>;
    expect(providers[0]).toMatchObject({
      providerId: 'a',
      isHealthy: true,
      circuitState: 'closed',
    });
    expect(providers[0]).toHaveProperty('responseTime');
    expect(providers[0]).toHaveProperty('lastCheckedAt');
    await handle(post(chat));
    const metrics = await (
      await handle(
        new Request('http://gateway/metrics', { headers: { authorization: `Bearer ${KEY}` } }),
      )
    ).text();
    expect(metrics).toContain('switchyard_requests_total');
  });
});
