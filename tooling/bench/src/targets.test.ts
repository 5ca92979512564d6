import { defaultDefinitions } from '@switchyard/adapters';
import { parseConfig } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TARGET_IDS,
  directAnthropicTarget,
  gatewayConfig,
  parseTargets,
  switchyardRequest,
  type MockPorts,
} from './targets.ts';
import { GATEWAY_API_KEY } from './workload.ts';

const ports: MockPorts = {
  fast: 40001,
  slow: 40002,
  tick: 40004,
  anthropicFast: 40005,
  anthropicSlow: 40006,
};

describe('the gateway benchmark config', () => {
  const config = parseConfig(gatewayConfig(ports), defaultDefinitions);

  it('is a valid file-mode config: the mocks as OpenAI-compatible and Anthropic providers with the client key', () => {
    expect(
      config.providers.map((provider) => [provider.id, provider.type, provider.endpoint]),
    ).toEqual([
      ['mock-fast', 'openai-compatible', 'http://127.0.0.1:40001/v1'],
      ['mock-fast-backup', 'openai-compatible', 'http://127.0.0.1:40001/v1'],
      ['mock-slow', 'openai-compatible', 'http://127.0.0.1:40002/v1'],
      ['mock-tick', 'openai-compatible', 'http://127.0.0.1:40004/v1'],
      ['anthropic-fast', 'anthropic', 'http://127.0.0.1:40005'],
      ['anthropic-slow', 'anthropic', 'http://127.0.0.1:40006'],
      ['anthropic-tick', 'anthropic', 'http://127.0.0.1:40004'],
    ]);
    expect(config.keys).toHaveLength(1);
    expect(config.keys[0]!.key).toBe(GATEWAY_API_KEY);
  });

  it('routes the instant mock through a primary and a fallback, and the slow mock through its own route', () => {
    const routes = Object.fromEntries(
      config.routes.map((route) => [route.name, route.targets.map((target) => target.provider)]),
    );
    expect(routes).toEqual({
      'bench-fast': ['mock-fast', 'mock-fast-backup'],
      'bench-slow': ['mock-slow'],
      'bench-tick': ['mock-tick'],
      'anthropic-fast': ['anthropic-fast'],
      'anthropic-slow': ['anthropic-slow'],
      'anthropic-tick': ['anthropic-tick'],
    });
  });

  it('asks the translated target for the Anthropic routes in OpenAI Chat, with the frame count as max_tokens', () => {
    const request = switchyardRequest(40003, 'anthropic')('tick', true, 60);
    expect(request.path).toBe('/v1/chat/completions');
    expect(JSON.parse(request.body)).toMatchObject({
      model: 'anthropic-tick',
      stream: true,
      max_tokens: 60,
    });
  });

  it('calls the Anthropic mock directly with the Messages API, a stream ending in message_stop', () => {
    const target = directAnthropicTarget({ pid: 1 }, ports);
    const request = target.request('slow', true);
    expect(request.origin).toBe('http://127.0.0.1:40006');
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.streamEnd).toBe('data: {"type":"message_stop"}');
    expect(JSON.parse(request.body)).toMatchObject({
      model: 'claude-haiku-4-5',
      system: 'You are a helpful assistant.',
      stream: true,
    });
    expect(target.request('tick', true).origin).toBe('http://127.0.0.1:40004');
  });

  it('asks the gateway for the route that leads to the chosen mock, with the client key', () => {
    const request = switchyardRequest(40003)('slow', true);
    expect(request.origin).toBe('http://127.0.0.1:40003');
    expect(request.headers.authorization).toBe(`Bearer ${GATEWAY_API_KEY}`);
    expect(JSON.parse(request.body)).toMatchObject({ model: 'bench-slow', stream: true });
  });
});

describe('choosing targets', () => {
  const none = { baseline: false, redis: false };

  it('measures the default targets unless told otherwise, without the Redis gateway or the baseline', () => {
    expect(parseTargets(undefined, none)).toEqual([...DEFAULT_TARGET_IDS]);
    expect(DEFAULT_TARGET_IDS).not.toContain('switchyard-redis');
    expect(DEFAULT_TARGET_IDS).not.toContain('switchyard-baseline');
  });

  it('adds the Redis gateway with --redis, and always measures the in-memory one beside it', () => {
    expect(parseTargets(undefined, { baseline: false, redis: true })).toContain('switchyard-redis');
    expect(parseTargets('passthrough,switchyard-redis', none)).toEqual([
      'passthrough',
      'switchyard',
      'switchyard-redis',
    ]);
  });

  it('measures the translated pair by default, and the direct Anthropic call beside the translated target', () => {
    expect(DEFAULT_TARGET_IDS).toContain('switchyard-anthropic');
    expect(parseTargets('passthrough,switchyard-anthropic', none)).toEqual([
      'passthrough',
      'direct-anthropic',
      'switchyard-anthropic',
    ]);
  });

  it('runs the baseline only with a baseline checkout, and refuses unknown names', () => {
    expect(parseTargets('switchyard,switchyard-baseline', none)).toEqual(['switchyard']);
    expect(parseTargets('switchyard', { baseline: true, redis: false })).toEqual([
      'switchyard',
      'switchyard-baseline',
    ]);
    expect(() => parseTargets('switchyard,redis', none)).toThrow(/unknown target\(s\): redis/);
  });
});
