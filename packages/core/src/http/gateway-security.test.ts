// What a client may and may not make the REST surface do: tenants, pins, labels, echoed input,
// upstream text, monitoring endpoints and concurrency.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import { activeKeysFromConfig, KeyRing } from '../keys/key-ring.ts';
import { Gateway } from '../service/gateway.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { createHttpHandler, type FetchHandler } from './fetch-handler.ts';

const TENANT_A = 'sk-sy-tenant-a-key-000000001';
const TENANT_B = 'sk-sy-tenant-b-key-000000002';
const CHAT_ONLY = 'sk-sy-chat-only-key-00000003';

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

interface Setup {
  handle: FetchHandler;
  gateway: Gateway;
  adapters: Record<string, ScriptedAdapter>;
}

function setup(
  adapters: Record<string, ScriptedAdapter> = {
    a: new ScriptedAdapter('a'),
    b: new ScriptedAdapter('b'),
    c: new ScriptedAdapter('c'),
  },
  extra: Record<string, unknown> = {},
): Setup {
  const registry = scriptedRegistry(adapters);
  const config = parseConfig(
    {
      providers: Object.keys(adapters).map((id, index) => ({
        id,
        name: id,
        type: 'openai-compatible',
        endpoint: `http://127.0.0.1:${9200 + index}`,
        priority: index,
        models: [{ name: 'm' }],
      })),
      routes: [
        { name: 'chat', targets: [{ provider: 'a' }], cache: { enabled: true, ttlSeconds: 60 } },
      ],
      keys: [
        { name: 'tenant-a', key: TENANT_A },
        { name: 'tenant-b', key: TENANT_B },
        { name: 'chat-only', key: CHAT_ONLY, allowedRoutes: ['chat'] },
      ],
      retryAttempts: 0,
      enableHealthMonitoring: false,
      ...extra,
    },
    registry,
  );
  const built = new Gateway({ config, adapters: registry, monitorHealth: false });
  gateway = built;
  const keys = new KeyRing();
  keys.setKeys(activeKeysFromConfig(config.keys));
  return { handle: createHttpHandler({ gateway: built, keys }), gateway: built, adapters };
}

function post(body: unknown, key: string, headers: Record<string, string> = {}): Request {
  return new Request('http://gateway/v1/chat/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function errorOf(response: Response): Promise<{ message: string; code: string }> {
  return ((await response.json()) as { error: { message: string; code: string } }).error;
}

const chat = { model: 'chat', messages: [{ role: 'user', content: 'what did the others ask?' }] };

describe('response cache scope', () => {
  it('never answers one API key from another key’s cached response', async () => {
    const { handle, adapters } = setup();
    const first = await handle(post(chat, TENANT_A));
    expect(first.headers.get('x-switchyard-cache')).toBe('miss');
    const again = await handle(post(chat, TENANT_A));
    expect(again.headers.get('x-switchyard-cache')).toBe('hit');
    const other = await handle(post(chat, TENANT_B));
    expect(other.headers.get('x-switchyard-cache')).toBe('miss');
    expect(adapters.a?.calls).toHaveLength(2);
    expect((await handle(post(chat, TENANT_B))).headers.get('x-switchyard-cache')).toBe('hit');
  });
});

describe('x-switchyard-provider', () => {
  it('answers 403 naming the provider when the pin is not a target of the key’s route', async () => {
    const { handle, adapters } = setup();
    for (const pinned of ['b', 'c']) {
      const response = await handle(post(chat, CHAT_ONLY, { 'x-switchyard-provider': pinned }));
      expect(response.status).toBe(403);
      const error = await errorOf(response);
      expect(error.code).toBe('provider_not_allowed');
      expect(error.message).toContain(`"${pinned}"`);
    }
    expect(adapters.b?.calls).toHaveLength(0);
    expect(adapters.c?.calls).toHaveLength(0);
    const allowed = await handle(post(chat, CHAT_ONLY, { 'x-switchyard-provider': 'a' }));
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('x-switchyard-provider')).toBe('a');
  });
});

function metricsRequest(key: string = TENANT_A): Request {
  return new Request('http://gateway/metrics', { headers: { authorization: `Bearer ${key}` } });
}

describe('client input in labels and errors', () => {
  it('counts requests for unknown models under one route label, never the client’s name', async () => {
    const { handle } = setup();
    for (let index = 0; index < 50; index++) {
      const response = await handle(post({ ...chat, model: `made-up-${index}` }, TENANT_A));
      expect(response.status).toBe(404);
    }
    expect((await handle(post(chat, TENANT_A))).status).toBe(200);
    const metrics = await (await handle(metricsRequest())).text();
    expect(metrics).not.toContain('made-up-');
    expect(metrics).toMatch(
      /switchyard_requests_total\{route="unknown",[^}]*status="404"[^}]*\} 50/,
    );
    expect(metrics).toMatch(/switchyard_requests_total\{route="chat",/);
  });

  it('echoes at most 200 characters of a client string in an error', async () => {
    const { handle, gateway } = setup();
    const outcomes: Array<{ route?: string; errorMessage?: string }> = [];
    gateway.events.on('request', (outcome) => outcomes.push(outcome));
    const huge = 'x'.repeat(1_000_000);
    const response = await handle(post({ ...chat, model: huge }, TENANT_A));
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(body.length).toBeLessThan(600);
    expect(body).toContain('x'.repeat(200));
    expect(body).not.toContain('x'.repeat(201));
    expect(outcomes[0]?.route?.length).toBeLessThan(300);
    expect(outcomes[0]?.errorMessage?.length).toBeLessThan(600);
    const path = await handle(new Request(`http://gateway/v1/${'y'.repeat(10_000)}`));
    expect(path.status).toBe(404);
    expect((await path.text()).length).toBeLessThan(600);
  });
});

describe('upstream error text', () => {
  const leaky = 'Incorrect API key provided: sk-proj-abc***wxyz. Internal host 10.0.0.7';

  it('tells the client the classified failure and the provider, never the upstream’s text', async () => {
    const { handle, gateway } = setup({
      a: new ScriptedAdapter('a', [], { fail: { kind: 'auth', status: 401, message: leaky } }),
    });
    const trails: unknown[] = [];
    gateway.events.on('request', (outcome) => trails.push(outcome.attemptTrail));
    const response = await handle(post(chat, TENANT_A));
    expect(response.status).toBe(502);
    const body = await response.text();
    expect(body).toContain('a (auth, HTTP 401)');
    expect(body).not.toContain('sk-proj');
    expect(body).not.toContain('10.0.0.7');
    // Operators keep it, in the request log's attempt trail.
    expect(JSON.stringify(trails)).toContain(leaky);
  });

  it('keeps the vendor’s text out of a 400 the upstream blamed on the request', async () => {
    const rejected = { kind: 'bad_request' as const, status: 400, param: 'tools', message: leaky };
    const { handle } = setup({ a: new ScriptedAdapter('a', [], { fail: rejected }) });
    const response = await handle(post(chat, TENANT_A));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.message).toContain('a refused the request as invalid');
    expect(error.message).toContain('"tools"');
    expect(error.message).not.toContain('sk-proj');
  });

  it('keeps it out of a stream’s error frame too', async () => {
    const { handle } = setup({
      a: new ScriptedAdapter('a', [{ stream: ['one', 'two'], cutAfter: 1 }]),
    });
    const text = await (await handle(post({ ...chat, stream: true }, TENANT_A))).text();
    expect(text).toContain('"upstream_error"');
    expect(text).toContain('a could not be reached (connection)');
    expect(text).not.toContain('socket closed mid-stream');
  });
});

describe('maxConcurrency per key', () => {
  const LIMITED = 'sk-sy-two-at-once-key-000004';

  const streamed = { stream: ['one', 'two', 'three'], gapMs: 5 };

  function limitedSetup(adapter = new ScriptedAdapter('a', [], streamed)): Setup {
    return setup(
      { a: adapter },
      { keys: [{ name: 'two', key: LIMITED, limits: { maxConcurrency: 2 } }] },
    );
  }

  it('answers 429 while the key has maxConcurrency streams open, and frees slots as they end', async () => {
    const { handle, gateway } = limitedSetup();
    const streaming = { ...chat, model: 'm', stream: true };
    const open = [await handle(post(streaming, LIMITED)), await handle(post(streaming, LIMITED))];
    expect(open.map((response) => response.status)).toEqual([200, 200]);
    const refused = await handle(post(streaming, LIMITED));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const error = await errorOf(refused);
    expect(error.code).toBe('concurrency_limit_exceeded');
    expect(error.message).toContain('2 concurrent requests');
    for (const response of open) expect(await response.text()).toContain('[DONE]');
    await vi.waitFor(() => expect(gateway.keyLimiter.inFlight('two')).toBe(0));
    expect((await handle(post(streaming, LIMITED))).status).toBe(200);
  });

  it('frees the slot when a client goes away mid-stream, and after a whole answer', async () => {
    const { handle, gateway } = limitedSetup(new ScriptedAdapter('a', [streamed]));
    const response = await handle(post({ ...chat, model: 'm', stream: true }, LIMITED));
    expect(gateway.keyLimiter.inFlight('two')).toBe(1);
    await response.body?.cancel();
    await vi.waitFor(() => expect(gateway.keyLimiter.inFlight('two')).toBe(0));
    const whole = await handle(post({ ...chat, model: 'm' }, LIMITED));
    expect(whole.status).toBe(200);
    expect(gateway.keyLimiter.inFlight('two')).toBe(0);
  });
});

describe('monitoring endpoints', () => {
  const SCRAPER = 'scrape-token-0123456789abcdef';
  const paths = ['/metrics', '/health/providers'];

  function get(path: string, authorization?: string): Request {
    return new Request(`http://gateway${path}`, {
      headers: authorization ? { authorization } : {},
    });
  }

  it('need an API key or the monitoring token; /health stays open for liveness probes', async () => {
    const { handle } = setup(undefined, { monitoring: { token: SCRAPER } });
    for (const path of paths) {
      const anonymous = await handle(get(path));
      expect(anonymous.status, path).toBe(401);
      expect((await handle(get(path, 'Bearer wrong-token-0000000000'))).status).toBe(401);
      expect((await handle(get(path, `Bearer ${TENANT_A}`))).status, path).toBe(200);
      expect((await handle(get(path, `Bearer ${SCRAPER}`))).status, path).toBe(200);
    }
    expect((await handle(get('/health'))).status).toBe(200);
  });

  it('are open to everyone only when the operator says so', async () => {
    const { handle } = setup(undefined, { monitoring: { public: true } });
    for (const path of paths) expect((await handle(get(path))).status, path).toBe(200);
  });
});
