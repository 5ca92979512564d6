import { describe, expect, it } from 'vitest';
import { matchRoute, type HttpRoute } from './http-route.ts';

const handle: HttpRoute['handle'] = () => Promise.reject(new Error('not called'));
const routes: HttpRoute[] = [
  { method: 'POST', path: '/v1/responses', handle },
  { method: 'GET', path: '/v1/responses/:id', handle },
  { method: 'GET', path: '/v1/responses/:id/input_items', handle },
];

describe('matchRoute', () => {
  it('matches fixed paths, ignoring a trailing slash', () => {
    expect(matchRoute(routes, 'POST', '/v1/responses/').matched?.route).toBe(routes[0]);
  });

  it('reads path parameters, decoded', () => {
    const { matched } = matchRoute(routes, 'GET', '/v1/responses/resp%5F1/input_items');
    expect(matched?.route).toBe(routes[2]);
    expect(matched?.params).toEqual({ id: 'resp_1' });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(matchRoute(routes, 'DELETE', '/v1/responses/r1')).toEqual({ methodMismatch: true });
    expect(matchRoute(routes, 'GET', '/v1/nothing')).toEqual({ methodMismatch: false });
  });
});
