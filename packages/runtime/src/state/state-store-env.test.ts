import { describe, expect, it } from 'vitest';
import { chooseStateStore } from './state-store-env.ts';
import { withoutCredentials } from './redis-state.ts';

describe('chooseStateStore', () => {
  it('keeps state in memory without REDIS_URL or REDIS_CLUSTER_NODES', () => {
    expect(chooseStateStore({})).toEqual({ target: undefined });
    expect(chooseStateStore({ REDIS_URL: '  ', REDIS_CLUSTER_NODES: ' , ' })).toEqual({
      target: undefined,
    });
  });

  it('uses one Redis for REDIS_URL', () => {
    expect(chooseStateStore({ REDIS_URL: 'rediss://user:secret@cache:6380/2' })).toEqual({
      target: { kind: 'redis', url: 'rediss://user:secret@cache:6380/2' },
    });
  });

  it('prefers the cluster when both are set, and says so', () => {
    const choice = chooseStateStore({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_CLUSTER_NODES: 'redis://a:7000, redis://b:7001',
    });
    expect(choice.target).toEqual({ kind: 'cluster', nodes: ['redis://a:7000', 'redis://b:7001'] });
    expect(choice.note).toMatch(/are both set: the cluster is used/);
  });

  it('names the variable of a malformed URL', () => {
    expect(() => chooseStateStore({ REDIS_URL: 'localhost:6379' })).toThrow(
      /REDIS_URL must start with redis:\/\//,
    );
    expect(() => chooseStateStore({ REDIS_CLUSTER_NODES: 'redis://a:1,nonsense' })).toThrow(
      /REDIS_CLUSTER_NODES is not a URL/,
    );
  });

  it('never logs credentials', () => {
    expect(withoutCredentials('redis://user:secret@cache:6380/2')).toBe('redis://cache:6380/2');
    expect(withoutCredentials('not a url')).toBe('an invalid URL');
  });
});
