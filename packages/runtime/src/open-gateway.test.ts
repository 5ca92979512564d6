// Open mode (no API key exists): the rule both servers apply to clients from elsewhere.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDefinitions } from '@switchyard/adapters';
import { parseConfig } from '@switchyard/core';
import { createGatewayRuntime, type GatewayRuntime } from './runtime.ts';
import { isLoopbackAddress, openGatewayRefusal } from './open-gateway.ts';

const provider = {
  id: 'local',
  name: 'Local',
  type: 'openai-compatible',
  endpoint: 'http://127.0.0.1:9',
};

let runtime: GatewayRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

async function start(keys: unknown[]): Promise<GatewayRuntime> {
  const config = parseConfig({ providers: [provider], keys }, defaultDefinitions);
  runtime = await createGatewayRuntime({ config, monitorHealth: false, environment: {} });
  return runtime;
}

describe('open gateway rule', () => {
  it('knows loopback addresses in every spelling', () => {
    for (const address of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', 'fe80::1', 'unknown'])
      expect(isLoopbackAddress(address)).toBe(false);
  });

  it('refuses clients from elsewhere with 403 while no key exists, and serves local ones', async () => {
    const open = await start([]);
    const refusal = open.refuseWhileOpen('10.0.0.5');
    expect(refusal?.status).toBe(403);
    expect(refusal?.code).toBe('no_api_keys');
    expect(open.refuseWhileOpen(undefined)?.status).toBe(403);
    expect(open.refuseWhileOpen('127.0.0.1')).toBeUndefined();
    expect(open.refuseWhileOpen('::ffff:127.0.0.1')).toBeUndefined();
  });

  it('leaves every client to key authentication once a key exists', async () => {
    const keyed = await start([{ name: 'app', key: 'sk-sy-open-gateway-test-key-0001' }]);
    expect(keyed.refuseWhileOpen('10.0.0.5')).toBeUndefined();
    expect(openGatewayRefusal({ open: false }, '203.0.113.9')).toBeUndefined();
  });
});
