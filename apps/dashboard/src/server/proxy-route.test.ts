// The dashboard's REST proxy in open mode (no API key yet): local clients only, as in the
// standalone gateway (issue: `/v1` was open to the network while no key existed).
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDefinitions } from '@switchyard/adapters';
import { parseConfig } from '@switchyard/core';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { CLIENT_ADDRESS_HEADER } from './auth/client-address.ts';
import { answerProxy } from './proxy-route.ts';

const provider = {
  id: 'local',
  name: 'Local',
  type: 'openai-compatible',
  endpoint: 'http://127.0.0.1:9',
  models: [{ name: 'chat', model: 'chat' }],
};

let runtime: GatewayRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

async function start(keys: unknown[]): Promise<GatewayRuntime> {
  const config = parseConfig({ providers: [provider], keys }, defaultDefinitions);
  runtime = await createGatewayRuntime({ config, monitorHealth: false });
  return runtime;
}

function get(path: string, address: string, extra: Record<string, string> = {}): Request {
  return new Request(`http://localhost:3000${path}`, {
    headers: { [CLIENT_ADDRESS_HEADER]: address, ...extra },
  });
}

describe('REST proxy while no API key exists', () => {
  it('answers 403 to a client from elsewhere on /v1', async () => {
    const open = await start([]);
    const response = await answerProxy(get('/v1/models', '10.0.0.5'), open, []);
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('no_api_keys');
  });

  it('serves clients on this machine', async () => {
    const open = await start([]);
    const response = await answerProxy(get('/v1/models', '127.0.0.1'), open, []);
    expect(response.status).toBe(200);
  });

  it('judges a forwarded client by its own address behind a trusted proxy', async () => {
    const open = await start([]);
    const forwarded = get('/v1/models', '127.0.0.1', { 'x-forwarded-for': '198.51.100.7' });
    expect((await answerProxy(forwarded, open, ['127.0.0.1'])).status).toBe(403);
  });

  it('leaves liveness alone and hands keyed gateways to key authentication', async () => {
    const open = await start([]);
    expect((await answerProxy(get('/health', '10.0.0.5'), open, [])).status).toBe(200);
    await open.close();
    const keyed = await start([{ name: 'app', key: 'sk-sy-proxy-route-test-key-00001' }]);
    expect((await answerProxy(get('/v1/models', '10.0.0.5'), keyed, [])).status).toBe(401);
  });
});
