// Sign-in over HTTP as an attacker would send it: one batch of many guesses, or many guesses at
// once on separate requests. Fake repositories count how many passwords were actually checked.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignInLimiter } from '../auth/sign-in-limiter.ts';
import { setupToken } from '../auth/setup-token.ts';
import type { Services } from '../services.ts';
import { handleTrpcRequest, TRPC_ENDPOINT } from './index.ts';
import { serveOverHttp, type HttpTestServer } from './test-support.ts';

const USER = { id: 'u1', email: 'owner@example.com', role: 'admin' as const };
const PASSWORD = 'the right password';

function fakeServices() {
  const counters = { verifications: 0, concurrent: 0, peakConcurrent: 0 };
  const services = {
    signInLimiter: new SignInLimiter({
      clock: { now: () => Date.now(), sleep: () => Promise.resolve() },
      verifications: { running: 2, waiting: 4 },
    }),
    repositories: {
      users: {
        recordSignIn: () => Promise.resolve(),
        count: () => Promise.resolve(1),
        async verifyPassword(email: string, password: string) {
          counters.verifications += 1;
          counters.concurrent += 1;
          counters.peakConcurrent = Math.max(counters.peakConcurrent, counters.concurrent);
          await new Promise((resolve) => setTimeout(resolve, 20));
          counters.concurrent -= 1;
          return email === USER.email && password === PASSWORD ? USER : null;
        },
      },
      sessions: {
        create: () =>
          Promise.resolve({ token: 'token', expiresAt: new Date(Date.now() + 3_600_000) }),
      },
    },
  } as unknown as Services;
  return { services: () => Promise.resolve(services), counters };
}

function signInBody(password: string) {
  return { json: { email: USER.email, password } };
}

describe('sign-in over HTTP', () => {
  let server: HttpTestServer;
  let fake: ReturnType<typeof fakeServices>;

  beforeAll(async () => {
    fake = fakeServices();
    server = await serveOverHttp((request) =>
      handleTrpcRequest(request, { services: () => fake.services(), secureCookies: () => false }),
    );
  });
  afterAll(() => server?.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${TRPC_ENDPOINT}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('refuses a batch of sign-ins without checking any password', async () => {
    const paths = Array.from({ length: 200 }, () => 'auth.signIn').join(',');
    const body = Object.fromEntries(
      Array.from({ length: 200 }, (_, index) => [String(index), signInBody(`guess ${index}`)]),
    );
    const response = await post(`${paths}?batch=1`, body);
    expect(response.status).toBe(400);
    const answers = (await response.json()) as Array<{ error: { json: { message: string } } }>;
    expect(answers).toHaveLength(200);
    expect(answers[0]?.error.json.message).toMatch(/one per request/);
    expect(fake.counters.verifications).toBe(0);
  });

  it('checks at most the limit of passwords when many guesses arrive at once, a few at a time', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) => post('auth.signIn', signInBody(`guess ${index}`))),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(35);
    expect(fake.counters.verifications).toBeLessThanOrEqual(5);
    expect(fake.counters.peakConcurrent).toBeLessThanOrEqual(2);
  });

  it('keeps counting by socket address when a client rotates X-Forwarded-For or claims an address', async () => {
    fake = fakeServices();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const answer = await post(
        'auth.signIn',
        { json: { email: `someone${attempt}@example.com`, password: 'guess' } },
        {
          'x-forwarded-for': `203.0.113.${attempt}`,
          'x-switchyard-client-address': `198.51.100.${attempt}`,
        },
      );
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });
});

describe('first-run setup over HTTP', () => {
  let server: HttpTestServer;
  const created: string[] = [];

  beforeAll(async () => {
    const services = {
      repositories: {
        users: {
          count: () => Promise.resolve(created.length),
          createFirstAdmin: (input: { email: string }) => {
            created.push(input.email);
            return Promise.resolve({ id: 'u1', email: input.email, role: 'admin' });
          },
        },
        sessions: {
          create: () =>
            Promise.resolve({ token: 'token', expiresAt: new Date(Date.now() + 3_600_000) }),
        },
      },
    } as unknown as Services;
    server = await serveOverHttp((request) =>
      handleTrpcRequest(request, {
        services: () => Promise.resolve(services),
        secureCookies: () => false,
      }),
    );
  });
  afterAll(() => server?.close());

  it('refuses a rebound Host name before anything else, even with the setup token', async () => {
    const body = JSON.stringify({
      json: { email: 'attacker@example.com', password: 'password123', setupToken: setupToken() },
    });
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(
        `${server.url}${TRPC_ENDPOINT}/auth.setup`,
        {
          method: 'POST',
          headers: { host: 'rebind.attacker.example:3000', 'content-type': 'application/json' },
        },
        (incoming) => {
          incoming.resume();
          resolve(incoming.statusCode ?? 0);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    expect(status).toBe(403);
    expect(created).toEqual([]);
  });
});
