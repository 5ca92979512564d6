import { routeSchema } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { checkRouteReferences } from './routes.ts';

describe('route references', () => {
  const providers = new Set(['lm-studio', 'openai']);
  const routes = new Set(['default', 'cheap']);

  it('names unknown providers and routes by field', () => {
    const route = routeSchema.parse({
      name: 'chat',
      targets: [{ provider: 'openai' }, { provider: 'gone' }],
      fallbacks: ['default', 'missing', 'chat'],
      contextLengthFallback: 'long',
    });
    expect(checkRouteReferences(route, providers, routes)).toEqual({
      'targets[1].provider': 'unknown provider "gone"',
      'fallbacks[1]': 'unknown route "missing"',
      'fallbacks[2]': 'a route cannot fall back to itself',
      contextLengthFallback: 'unknown route "long"',
    });
  });

  it('accepts a route over existing providers', () => {
    const route = routeSchema.parse({
      name: 'chat',
      targets: [{ provider: 'lm-studio' }],
      fallbacks: ['cheap'],
    });
    expect(checkRouteReferences(route, providers, routes)).toEqual({});
  });
});
