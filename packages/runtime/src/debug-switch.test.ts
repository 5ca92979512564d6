import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent, defaultDefinitions } from '@switchyard/adapters';
import { parseConfig } from '@switchyard/core';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { debugLoggerFor, debugSwitchOn } from './debug-switch.ts';
import { createGatewayRuntime } from './runtime.ts';

let upstream: OpenAIMock;
beforeAll(async () => {
  upstream = await startOpenAIMock();
});
afterAll(async () => {
  await upstream.close();
  await closeHttpAgent();
});

describe('the seed debug switches', () => {
  it('turn on for the seed namespace, ours, a wildcard and REACT_APP_DEBUG, and nothing else', () => {
    for (const env of [
      { DEBUG: 'cloud-inference:*' },
      { DEBUG: 'express:*, switchyard:*' },
      { DEBUG: '*' },
      { REACT_APP_DEBUG: 'true' },
    ])
      expect(debugSwitchOn(env), JSON.stringify(env)).toBe(true);
    for (const env of [{}, { DEBUG: 'express:*' }, { REACT_APP_DEBUG: 'false' }, { DEBUG: '' }])
      expect(debugSwitchOn(env), JSON.stringify(env)).toBe(false);
    expect(debugLoggerFor({})).toBeUndefined();
  });

  it('log each attempt and finished request of a runtime given the debug logger', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logger = debugLoggerFor({ DEBUG: 'cloud-inference:*' }, sink);
    expect(logger).toBeDefined();
    const config = parseConfig(
      {
        providers: [{ id: 'p', name: 'P', type: 'openai', endpoint: upstream.url, apiKey: 'k' }],
        routes: [{ name: 'chat', targets: [{ provider: 'p', model: 'gpt-4o-mini' }] }],
        enableHealthMonitoring: false,
      },
      defaultDefinitions,
    );
    const runtime = await createGatewayRuntime({ config, logger, environment: {} });
    try {
      const response = await runtime.handle(
        new Request('http://gateway/v1/chat/completions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
        }),
      );
      expect(response.status).toBe(200);
      await response.text();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      await runtime.close();
    }
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('attempt');
    expect(messages).toContain('request');
  });
});
