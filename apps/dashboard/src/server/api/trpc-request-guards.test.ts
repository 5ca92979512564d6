// The checks the tRPC HTTP handler makes before tRPC reads a request: body size, content type,
// cross-site origin. Fake services count how often anything reached a procedure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignInLimiter } from '../auth/sign-in-limiter.ts';
import type { Services } from '../services.ts';
import { handleTrpcRequest, TRPC_ENDPOINT } from './index.ts';
import { MAX_BODY_BYTES } from './request-guards.ts';
import { serveOverHttp, type HttpTestServer } from './test-support.ts';

describe('the tRPC HTTP handler', () => {
  let server: HttpTestServer;
  const counters = { services: 0, verifications: 0 };

  beforeAll(async () => {
    const services = {
      signInLimiter: new SignInLimiter({
        clock: { now: () => Date.now(), sleep: () => Promise.resolve() },
        maxFailures: 1_000,
        accountBackoff: { freeFailures: 1_000 },
      }),
      repositories: {
        users: {
          recordSignIn: () => Promise.resolve(),
          verifyPassword: () => {
            counters.verifications += 1;
            return Promise.resolve(null);
          },
        },
      },
    } as unknown as Services;
    server = await serveOverHttp((request) =>
      handleTrpcRequest(request, {
        services: () => {
          counters.services += 1;
          return Promise.resolve(services);
        },
        secureCookies: () => false,
      }),
    );
  });
  afterAll(() => server?.close());

  const post = (path: string, body: BodyInit, headers: Record<string, string>) =>
    fetch(`${server.url}${TRPC_ENDPOINT}/${path}`, { method: 'POST', headers, body });
  const json = { 'content-type': 'application/json' };
  const signIn = (password: string) =>
    JSON.stringify({ json: { email: 'owner@example.com', password } });

  it('refuses a body over 1 MiB before parsing it, sign-in included', async () => {
    const before = counters.services;
    const answer = await post('auth.signIn', signIn('x'.repeat(2 * MAX_BODY_BYTES)), json);
    expect(answer.status).toBe(413);
    const body = (await answer.json()) as { error: { json: { message: string } } };
    expect(body.error.json.message).toMatch(/larger than 1024 KiB/);
    expect(counters.services).toBe(before);
  });

  it('gives a config import a larger cap', async () => {
    const config = JSON.stringify({
      json: { format: 'json', content: 'x'.repeat(3 * MAX_BODY_BYTES) },
    });
    const answer = await post('settings.importConfig', config, json);
    expect(answer.status).toBe(401);
  });

  it('never hashes an oversized password', async () => {
    const before = counters.verifications;
    const answer = await post('auth.signIn', signIn('x'.repeat(100_000)), json);
    expect(answer.status).toBe(400);
    expect(counters.verifications).toBe(before);
    const sane = await post('auth.signIn', signIn('a wrong password'), json);
    expect(sane.status).toBe(401);
    expect(counters.verifications).toBe(before + 1);
  });

  it('accepts only JSON bodies: form posts, text/plain and multipart are refused', async () => {
    const form = new FormData();
    form.set('defaultRoute', 'x');
    const multipart = await fetch(`${server.url}${TRPC_ENDPOINT}/settings.update`, {
      method: 'POST',
      body: form,
    });
    expect(multipart.status).toBe(415);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', ''])
      expect((await post('auth.signIn', signIn('p'), { 'content-type': type })).status).toBe(415);
    expect(
      (
        await post('auth.signIn', signIn('p'), {
          'content-type': 'application/json; charset=utf-8',
        })
      ).status,
    ).toBe(401);
  });

  it('refuses calls another site makes from a browser, and lets same-origin and programs through', async () => {
    const cross = await post('settings.update', JSON.stringify({ json: {} }), {
      ...json,
      origin: 'https://evil.example',
    });
    expect(cross.status).toBe(403);
    const fetchSite = await post('auth.signIn', signIn('p'), {
      ...json,
      'sec-fetch-site': 'cross-site',
    });
    expect(fetchSite.status).toBe(403);
    const sameOrigin = await post('auth.signIn', signIn('p'), {
      ...json,
      origin: server.url,
      'sec-fetch-site': 'same-origin',
    });
    expect(sameOrigin.status).toBe(401);
  });
});
