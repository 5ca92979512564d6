import { describe, expect, it } from 'vitest';
import { GatewayError } from '../spec/errors.ts';
import { MAX_JSON_DEPTH } from '../spec/validation.ts';
import { matchRoute, readJsonBody, type GatewayHttpRequest, type HttpRoute } from './http-route.ts';

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

let bodiesRead = 0;

function bodyRequest(body: string, contentType: string | undefined): GatewayHttpRequest {
  return {
    method: 'POST',
    path: '/v1/anything',
    header: (name) => (name === 'content-type' ? contentType : undefined),
    readBody: () => {
      bodiesRead++;
      return Promise.resolve(body);
    },
    signal: new AbortController().signal,
  };
}

async function refusal(request: GatewayHttpRequest): Promise<GatewayError> {
  const caught: unknown = await readJsonBody(request, 1 << 20).catch((error: unknown) => error);
  expect(caught).toBeInstanceOf(GatewayError);
  return caught as GatewayError;
}

describe('readJsonBody', () => {
  it('accepts application/json with or without a charset, and +json types', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON;charset=UTF-8',
      'application/vnd.api+json',
    ]) {
      const { json } = await readJsonBody(bodyRequest('{"a":1}', type), 1024);
      expect(json).toEqual({ a: 1 });
    }
  });

  it('refuses bodies not declared as JSON with a 415, before reading them', async () => {
    bodiesRead = 0;
    for (const type of [
      undefined,
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
    ]) {
      const error = await refusal(bodyRequest('{"a":1}', type));
      expect(error.status).toBe(415);
      expect(error.code).toBe('unsupported_media_type');
      expect(error.message).toContain('application/json');
    }
    expect(bodiesRead).toBe(0);
  });

  it('refuses a body nested 5,000 levels deep with a 400 naming the limit', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const error = await refusal(bodyRequest(`{"model":"m","extra":${deep}}`, 'application/json'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('json_too_deep');
    expect(error.message).toContain(`${MAX_JSON_DEPTH} levels`);
  });

  it('accepts a body exactly at the depth limit', async () => {
    const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    const { json } = await readJsonBody(bodyRequest(atLimit, 'application/json'), 1 << 20);
    expect(Array.isArray(json)).toBe(true);
  });
});
