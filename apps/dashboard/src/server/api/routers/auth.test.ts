import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../root.ts';
import { createCallerFactory } from '../trpc.ts';
import { ADMIN, testContext, VIEWER } from '../test-support.ts';
import { SignInLimiter } from '../../auth/sign-in-limiter.ts';
import { setupToken } from '../../auth/setup-token.ts';
import type { Services } from '../../services.ts';

const createCaller = createCallerFactory(appRouter);

interface FakeUser {
  id: string;
  email: string;
  password: string;
  role: 'admin' | 'viewer';
}

function fakeServices(users: FakeUser[], now: { value: number }) {
  const sessions = new Map<string, string>();
  const created: string[] = [];
  const signIns: Array<{ email: string; succeeded: boolean; address: string }> = [];
  const services = {
    clock: { now: () => now.value, sleep: () => Promise.resolve() },
    signInLimiter: new SignInLimiter({
      clock: { now: () => now.value, sleep: () => Promise.resolve() },
      maxFailures: 3,
      windowMs: 60_000,
    }),
    repositories: {
      users: {
        count: () => Promise.resolve(users.length),
        create: (input: { email: string; password: string; role: 'admin' | 'viewer' }) => {
          const user = { id: `u${users.length + 1}`, ...input };
          users.push(user);
          created.push(input.email);
          return Promise.resolve(user);
        },
        createFirstAdmin: (input: { email: string; password: string }) => {
          if (users.length > 0) return Promise.resolve(null);
          const user = { id: `u${users.length + 1}`, ...input, role: 'admin' as const };
          users.push(user);
          created.push(input.email);
          return Promise.resolve(user);
        },
        recordSignIn: (attempt: { email: string; succeeded: boolean; address: string }) => {
          signIns.push({
            email: attempt.email,
            succeeded: attempt.succeeded,
            address: attempt.address,
          });
          return Promise.resolve();
        },
        setPassword: (id: string, password: string) => {
          const user = users.find((candidate) => candidate.id === id);
          if (!user) return Promise.reject(new Error('no such user'));
          user.password = password;
          for (const [token, owner] of sessions) if (owner === id) sessions.delete(token);
          return Promise.resolve(user);
        },
        verifyPassword: (email: string, password: string) =>
          Promise.resolve(
            users.find((user) => user.email === email && user.password === password) ?? null,
          ),
      },
      sessions: {
        create: (userId: string) => {
          const token = `token-${sessions.size + 1}`;
          sessions.set(token, userId);
          return Promise.resolve({ token, expiresAt: new Date(now.value + 3_600_000) });
        },
        remove: (token: string) => {
          sessions.delete(token);
          return Promise.resolve();
        },
      },
    },
  } as unknown as Services;
  return { services: () => Promise.resolve(services), sessions, created, signIns };
}

function codeOf(error: unknown): string | undefined {
  return error instanceof TRPCError ? error.code : undefined;
}

describe('first-run setup', () => {
  it('creates the admin and signs it in with an httpOnly, SameSite cookie', async () => {
    const fake = fakeServices([], { value: 0 });
    const context = testContext({ services: fake.services });
    const result = await createCaller(context).auth.setup({
      email: 'Admin@Example.com',
      password: 'correct horse',
      setupToken: setupToken(),
    });
    expect(result).toEqual({ email: 'admin@example.com', role: 'admin' });
    const cookie = context.resHeaders.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^switchyard_session=token-1;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });

  it('is refused once an account exists', async () => {
    const fake = fakeServices(
      [{ id: 'u1', email: 'a@example.com', password: 'password1', role: 'admin' }],
      { value: 0 },
    );
    const error = await createCaller(testContext({ services: fake.services }))
      .auth.setup({
        email: 'intruder@example.com',
        password: 'password1',
        setupToken: setupToken(),
      })
      .catch((caught: unknown) => caught);
    expect(codeOf(error)).toBe('FORBIDDEN');
    expect(fake.created).toEqual([]);
  });

  it('rejects a short password with a field message', async () => {
    const fake = fakeServices([], { value: 0 });
    const error = await createCaller(testContext({ services: fake.services }))
      .auth.setup({ email: 'a@example.com', password: 'short', setupToken: setupToken() })
      .catch((caught: unknown) => caught);
    expect(codeOf(error)).toBe('BAD_REQUEST');
    expect(fake.created).toEqual([]);
  });
});

describe('first-run setup token', () => {
  it('refuses setup without the token printed at start, creating nobody', async () => {
    const fake = fakeServices([], { value: 0 });
    const caller = createCaller(testContext({ services: fake.services }));
    const wrong = await caller.auth
      .setup({ email: 'a@example.com', password: 'password1', setupToken: 'guessed-token' })
      .catch((caught: unknown) => caught);
    expect(codeOf(wrong)).toBe('FORBIDDEN');
    const missing = await caller.auth
      .setup({ email: 'a@example.com', password: 'password1' } as never)
      .catch((caught: unknown) => caught);
    expect(codeOf(missing)).toBe('BAD_REQUEST');
    expect(fake.created).toEqual([]);
  });
});

describe('sign-in', () => {
  const users: FakeUser[] = [
    { id: 'u1', email: 'ops@example.com', password: 'right password', role: 'viewer' },
  ];

  it('signs in with the right password and refuses a wrong one', async () => {
    const fake = fakeServices([...users], { value: 0 });
    const context = testContext({ services: fake.services });
    await expect(
      createCaller(context).auth.signIn({ email: 'ops@example.com', password: 'wrong' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'Wrong email or password.' });
    expect(context.resHeaders.get('set-cookie')).toBeNull();
    await expect(
      createCaller(context).auth.signIn({ email: 'OPS@example.com', password: 'right password' }),
    ).resolves.toEqual({ email: 'ops@example.com', role: 'viewer' });
    expect(context.resHeaders.get('set-cookie')).toContain('switchyard_session=');
  });

  it('stops guessing after repeated failures, even with the right password, until the window passes', async () => {
    const now = { value: 1_000 };
    const fake = fakeServices([...users], now);
    const caller = createCaller(testContext({ services: fake.services }));
    for (let attempt = 0; attempt < 3; attempt += 1)
      await expect(
        caller.auth.signIn({ email: 'ops@example.com', password: `guess ${attempt}` }),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      caller.auth.signIn({ email: 'ops@example.com', password: 'right password' }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    now.value += 61_000;
    await expect(
      caller.auth.signIn({ email: 'ops@example.com', password: 'right password' }),
    ).resolves.toMatchObject({ email: 'ops@example.com' });
  });
});

describe('sign-in from several addresses', () => {
  const users: FakeUser[] = [
    { id: 'u1', email: 'ops@example.com', password: 'right password', role: 'viewer' },
  ];

  it('does not lock the owner out when a stranger fails on the same email from another address', async () => {
    const now = { value: 1_000 };
    const fake = fakeServices([...users], now);
    const from = (clientAddress: string) =>
      createCaller({ ...testContext({ services: fake.services }), clientAddress });
    for (let attempt = 0; attempt < 3; attempt += 1)
      await expect(
        from('203.0.113.9').auth.signIn({ email: 'ops@example.com', password: `guess ${attempt}` }),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      from('203.0.113.9').auth.signIn({ email: 'ops@example.com', password: 'guess 4' }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // The owner, elsewhere, waits a bounded moment at most (the account's backoff, not a lock).
    let waited = 0;
    for (;;) {
      const outcome = await from('198.51.100.7')
        .auth.signIn({ email: 'ops@example.com', password: 'right password' })
        .catch((caught: unknown) => caught);
      if (!(outcome instanceof TRPCError)) break;
      expect(outcome.code).toBe('TOO_MANY_REQUESTS');
      waited += 1_000;
      now.value += 1_000;
      expect(waited).toBeLessThanOrEqual(30_000);
    }
    expect(fake.sessions.size).toBe(1);
  });
});

describe('sign-ins in the audit log', () => {
  it('records each sign-in and each failed one with the address', async () => {
    const fake = fakeServices(
      [{ id: 'u1', email: 'ops@example.com', password: 'right password', role: 'viewer' }],
      { value: 0 },
    );
    const caller = createCaller(testContext({ services: fake.services }));
    await caller.auth
      .signIn({ email: 'ops@example.com', password: 'wrong' })
      .catch(() => undefined);
    await caller.auth.signIn({ email: 'ops@example.com', password: 'right password' });
    expect(fake.signIns).toEqual([
      { email: 'ops@example.com', succeeded: false, address: '127.0.0.1' },
      { email: 'ops@example.com', succeeded: true, address: '127.0.0.1' },
    ]);
  });
});

describe('password changes', () => {
  const session = {
    user: { id: 'u1', email: 'ops@example.com', role: 'viewer' as const },
    token: 'token-old',
    expiresAt: new Date('2100-01-01'),
  };

  it('lets a user change their own password after giving the current one', async () => {
    const users: FakeUser[] = [
      { id: 'u1', email: 'ops@example.com', password: 'right password', role: 'viewer' },
    ];
    const fake = fakeServices(users, { value: 0 });
    fake.sessions.set('token-old', 'u1');
    const context = testContext({ session, services: fake.services });
    await expect(
      createCaller(context).auth.changePassword({
        currentPassword: 'wrong',
        newPassword: 'a new password',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(users[0]?.password).toBe('right password');
    await createCaller(context).auth.changePassword({
      currentPassword: 'right password',
      newPassword: 'a new password',
    });
    expect(users[0]?.password).toBe('a new password');
    expect(fake.sessions.has('token-old')).toBe(false);
    expect(context.resHeaders.get('set-cookie')).toContain('switchyard_session=');
  });

  it("lets an admin reset another user's password", async () => {
    const users: FakeUser[] = [
      { id: 'u1', email: 'ops@example.com', password: 'forgotten', role: 'viewer' },
    ];
    const fake = fakeServices(users, { value: 0 });
    await createCaller(
      testContext({ session: ADMIN, services: fake.services }),
    ).users.resetPassword({ id: 'u1', password: 'a fresh password' });
    expect(users[0]?.password).toBe('a fresh password');
    await expect(
      createCaller(testContext({ session: VIEWER, services: fake.services })).users.resetPassword({
        id: 'u1',
        password: 'viewer tries this',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('password resets', () => {
  it("ends every session of the user whose password an admin resets, and no one else's", async () => {
    const users: FakeUser[] = [
      { id: 'u1', email: 'ops@example.com', password: 'forgotten', role: 'viewer' },
    ];
    const fake = fakeServices(users, { value: 0 });
    fake.sessions.set('ops-laptop', 'u1');
    fake.sessions.set('ops-phone', 'u1');
    fake.sessions.set(ADMIN.token, ADMIN.user.id);
    const context = testContext({ session: ADMIN, services: fake.services });
    await createCaller(context).users.resetPassword({ id: 'u1', password: 'a fresh password' });
    expect([...fake.sessions.keys()]).toEqual([ADMIN.token]);
    // The admin keeps the session they are in: no new cookie for them.
    expect(context.resHeaders.get('set-cookie')).toBeNull();
  });

  it('refuses a new password that is too short, before touching the stored one', async () => {
    const users: FakeUser[] = [
      { id: 'u1', email: 'ops@example.com', password: 'forgotten', role: 'viewer' },
    ];
    const fake = fakeServices(users, { value: 0 });
    await expect(
      createCaller(testContext({ session: ADMIN, services: fake.services })).users.resetPassword({
        id: 'u1',
        password: 'short',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const session = { user: { id: 'u1', email: 'ops@example.com', role: 'viewer' as const } };
    await expect(
      createCaller(
        testContext({
          session: { ...session, token: 't', expiresAt: new Date('2100-01-01') },
          services: fake.services,
        }),
      ).auth.changePassword({ currentPassword: 'forgotten', newPassword: 'short' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(users[0]?.password).toBe('forgotten');
  });
});

describe('sign-out', () => {
  it('ends the session and clears the cookie', async () => {
    const fake = fakeServices([], { value: 0 });
    fake.sessions.set(VIEWER.token, VIEWER.user.id);
    const context = testContext({ session: VIEWER, services: fake.services });
    await createCaller(context).auth.signOut();
    expect(fake.sessions.has(VIEWER.token)).toBe(false);
    expect(context.resHeaders.get('set-cookie')).toContain('Max-Age=0');
  });
});
