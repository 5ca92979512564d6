import { scryptSync } from 'node:crypto';
import { ConfigError, hashApiKey, type Clock } from '@switchyard/core';
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../errors.ts';
import { silentLogger } from '../logger.ts';
import { openTestDatabase, testBackends, type TestDatabase } from '../testkit/test-database.ts';
import { createRepositories, type Repositories } from './index.ts';

const admin = { userId: 'u1', email: 'admin@example.com', via: 'dashboard' } as const;

function fakeClock(start: number): Clock & { set(ms: number): void } {
  let now = start;
  return { now: () => now, sleep: () => Promise.resolve(), set: (ms) => (now = ms) };
}

describe.each(testBackends())('keys, settings, users and sessions on %s', (backend) => {
  let test: TestDatabase;
  let repos: Repositories;
  const clock = fakeClock(Date.UTC(2025, 2, 15, 12));

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    repos = createRepositories(test.db, {
      definitions: defaultDefinitions,
      logger: silentLogger,
      clock,
    });
  });
  afterAll(() => test?.close());
  beforeEach(async () => {
    clock.set(Date.UTC(2025, 2, 15, 12));
    await test.reset();
  });

  it('shows a new key once and stores only its hash and prefix', async () => {
    const { record, key } = await repos.keys.create(
      {
        name: 'ci',
        allowedRoutes: ['default'],
        limits: { requestsPerMinute: 10 },
        monthlyBudgetUsd: 5,
      },
      admin,
    );
    expect(key).toMatch(/^sk-sy-/);
    expect(record).toMatchObject({
      name: 'ci',
      prefix: key.slice(0, 12),
      allowedRoutes: ['default'],
      limits: { requestsPerMinute: 10 },
      monthlyBudgetUsd: 5,
    });
    const row = await test.db.prisma.apiKey.findUniqueOrThrow({ where: { id: record.id } });
    expect(row.hash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
    expect(JSON.stringify(await repos.keys.list())).not.toContain(key);
    await expect(repos.keys.create({ name: '' }, admin)).rejects.toThrow(ConfigError);
  });

  it('lists active keys for the gateway: revoked and expired ones are left out', async () => {
    const live = await repos.keys.create({ name: 'live' }, admin);
    const revoked = await repos.keys.create({ name: 'revoked' }, admin);
    await repos.keys.create(
      { name: 'expired', expiresAt: new Date(Date.UTC(2025, 2, 15, 11)) },
      admin,
    );
    const later = await repos.keys.create(
      { name: 'later', expiresAt: '2025-04-01T00:00:00Z' },
      admin,
    );
    await repos.keys.revoke(revoked.record.id, admin);
    const active = await repos.keys.activeKeys();
    expect(active.map((key) => key.name).sort()).toEqual(['later', 'live']);
    expect(active.find((key) => key.id === live.record.id)?.hash).toBe(hashApiKey(live.key));
    expect(active.find((key) => key.id === later.record.id)?.expiresAt).toEqual(
      new Date('2025-04-01T00:00:00Z'),
    );
    expect((await repos.keys.list()).find((key) => key.name === 'revoked')?.revokedAt).toEqual(
      new Date(clock.now()),
    );
  });

  it('sums month-to-date spend per key from the 1st of the month (UTC) and records last use', async () => {
    const { record } = await repos.keys.create({ name: 'spender' }, admin);
    const base = {
      requestId: 'r',
      status: 200,
      stream: false,
      attempts: 1,
      attemptTrail: [],
      latencyMs: 10,
      keyId: record.id,
    };
    await repos.requestLogs.insertMany([
      { ...base, createdAt: Date.UTC(2025, 1, 28, 23, 59), costUsd: 100 },
      { ...base, createdAt: Date.UTC(2025, 2, 1, 0, 0), costUsd: 0.25 },
      { ...base, createdAt: Date.UTC(2025, 2, 10), costUsd: 0.5 },
      { ...base, createdAt: Date.UTC(2025, 2, 10), keyId: undefined, costUsd: 7 },
    ]);
    expect(await repos.keys.monthToDateSpend()).toEqual(new Map([[record.id, 0.75]]));
    await repos.keys.touch([record.id, record.id]);
    expect((await repos.keys.list())[0]?.lastUsedAt).toEqual(new Date(clock.now()));
  });

  it('reports the effective settings, updates them, and returns an option to its default with null', async () => {
    const initial = await repos.settings.get();
    expect(initial).toMatchObject({
      defaultProvider: 'auto',
      autoFallback: true,
      loadBalancing: 'priority',
      retryAttempts: 3,
      healthCheckInterval: 30000,
      logBodies: false,
      logBodyMaxBytes: 32_768,
      viewersReadBodies: false,
    });
    const updated = await repos.settings.update(
      {
        loadBalancing: 'round-robin',
        retryAttempts: 5,
        healthCheck: { url: '/health' },
        cache: { enabled: true },
        logBodies: true,
        logBodyMaxBytes: 4_096,
        defaultProvider: 'lm-studio',
      },
      admin,
    );
    expect(updated).toMatchObject({
      loadBalancing: 'round-robin',
      retryAttempts: 5,
      logBodies: true,
      logBodyMaxBytes: 4_096,
      viewersReadBodies: false,
      defaultProvider: 'lm-studio',
    });
    expect(updated.healthCheck).toEqual({
      url: '/health',
      method: 'GET',
      expectedStatus: 200,
      timeout: 5000,
    });
    expect(updated.cache).toEqual({ enabled: true, ttlSeconds: 300, maxEntries: 1000 });
    const reset = await repos.settings.update({ retryAttempts: null, healthCheck: null }, admin);
    expect(reset.retryAttempts).toBe(3);
    expect(reset.healthCheck).toBeUndefined();
    expect(reset.loadBalancing).toBe('round-robin');
    await expect(repos.settings.update({ healthCheckInterval: 10 }, admin)).rejects.toThrow(
      'healthCheckInterval: must be at least 1000 ms',
    );
    await expect(repos.settings.update({ defaultProvider: 'ghost' }, admin)).rejects.toThrow(
      /no provider "ghost"/,
    );
    await expect(repos.settings.update({ defaultRoute: 'ghost' }, admin)).rejects.toThrow(
      'defaultRoute: unknown route "ghost"',
    );
    expect((await repos.settings.get()).retryAttempts).toBe(3);
  });

  it('creates users with scrypt hashes, verifies passwords and keeps one admin', async () => {
    expect(await repos.users.count()).toBe(0);
    const owner = await repos.users.create({
      email: ' Owner@Example.com ',
      password: 'correct horse',
      role: 'admin',
    });
    expect(owner).toMatchObject({ email: 'owner@example.com', role: 'admin' });
    const row = await test.db.prisma.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$16384\$8\$5\$/);
    expect(row.passwordHash).not.toContain('correct horse');
    expect(await repos.users.verifyPassword('OWNER@example.com', 'correct horse')).toMatchObject({
      id: owner.id,
    });
    expect(await repos.users.verifyPassword('owner@example.com', 'wrong horse')).toBeNull();
    expect(await repos.users.verifyPassword('nobody@example.com', 'correct horse')).toBeNull();

    await expect(
      repos.users.create(
        { email: 'owner@example.com', password: 'another one', role: 'viewer' },
        admin,
      ),
    ).rejects.toThrow(ConflictError);
    await expect(
      repos.users.create({ email: 'not-an-email', password: 'long enough', role: 'viewer' }, admin),
    ).rejects.toThrow(ValidationError);
    await expect(
      repos.users.create({ email: 'a@b.co', password: 'short', role: 'viewer' }, admin),
    ).rejects.toThrow('password: must be at least 8 characters');

    await expect(repos.users.setRole(owner.id, 'viewer', admin)).rejects.toThrow(
      'it is the only admin',
    );
    await expect(repos.users.remove(owner.id, admin)).rejects.toThrow('it is the only admin');
    const viewer = await repos.users.create(
      { email: 'viewer@example.com', password: 'looking only', role: 'viewer' },
      admin,
    );
    expect((await repos.users.setRole(viewer.id, 'admin', admin)).role).toBe('admin');
    await repos.users.remove(owner.id, admin);
    expect((await repos.users.list()).map((user) => user.email)).toEqual(['viewer@example.com']);
  });

  it('creates exactly one first admin when several first-run setups race', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        repos.users.createFirstAdmin({
          email: `admin${index}@example.com`,
          password: 'password123',
        }),
      ),
    );
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    expect(await repos.users.count()).toBe(1);
    expect((await repos.users.list())[0]?.role).toBe('admin');
    expect(
      await repos.users.createFirstAdmin({ email: 'late@example.com', password: 'password123' }),
    ).toBeNull();
  });

  it("sets a new password, ending the user's sessions, and audits it and sign-ins", async () => {
    const user = await repos.users.create({
      email: 'someone@example.com',
      password: 'old password',
      role: 'viewer',
    });
    const session = await repos.sessions.create(user.id, 60_000);
    await repos.users.setPassword(user.id, 'new password', admin);
    expect(await repos.users.verifyPassword('someone@example.com', 'old password')).toBeNull();
    expect(await repos.users.verifyPassword('someone@example.com', 'new password')).toMatchObject({
      id: user.id,
    });
    expect(await repos.sessions.get(session.token)).toBeNull();
    await expect(repos.users.setPassword(user.id, 'short', admin)).rejects.toThrow(ValidationError);
    await repos.users.recordSignIn({
      email: 'someone@example.com',
      succeeded: false,
      address: '203.0.113.9',
    });
    await repos.users.recordSignIn({
      email: 'someone@example.com',
      userId: user.id,
      succeeded: true,
      address: '198.51.100.7',
    });
    const { items } = await repos.audit.list({ limit: 3 });
    expect(items.map((item) => item.action).sort()).toEqual([
      'set-password',
      'sign-in',
      'sign-in-failed',
    ]);
    expect(items.find((item) => item.action === 'sign-in-failed')).toMatchObject({
      actor: { email: 'someone@example.com' },
      after: { address: '203.0.113.9' },
    });
    expect(JSON.stringify(items)).not.toContain('new password');
  });

  it('rehashes a password stored at an older scrypt cost when its user signs in', async () => {
    const user = await repos.users.create({
      email: 'old@example.com',
      password: 'password123',
      role: 'viewer',
    });
    const current = await test.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(current.passwordHash).toMatch(/^scrypt\$16384\$8\$5\$/);
    // A hash as earlier versions stored it: N=2^14, r=8, p=1.
    const salt = Buffer.from('0123456789abcdef');
    const legacy = `scrypt$16384$8$1$${salt.toString('base64')}$${scryptSync('password123', salt, 64, { N: 16384, r: 8, p: 1 }).toString('base64')}`;
    await test.db.prisma.user.update({ where: { id: user.id }, data: { passwordHash: legacy } });
    expect(await repos.users.verifyPassword('old@example.com', 'wrong password')).toBeNull();
    expect(
      (await test.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash,
    ).toBe(legacy);
    expect(await repos.users.verifyPassword('old@example.com', 'password123')).toMatchObject({
      id: user.id,
    });
    const rehashed = await test.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(rehashed.passwordHash).toMatch(/^scrypt\$16384\$8\$5\$/);
    expect(await repos.users.verifyPassword('old@example.com', 'password123')).not.toBeNull();
  });

  it('issues session tokens stored as hashes, which expire and can be removed', async () => {
    const user = await repos.users.create({
      email: 'someone@example.com',
      password: 'password123',
      role: 'viewer',
    });
    const session = await repos.sessions.create(user.id, 60_000);
    expect(session.expiresAt).toEqual(new Date(clock.now() + 60_000));
    expect(JSON.stringify(await test.db.prisma.session.findMany())).not.toContain(session.token);
    expect(await repos.sessions.get(session.token)).toMatchObject({
      user: { id: user.id, role: 'viewer' },
    });
    expect(await repos.sessions.get('made-up-token')).toBeNull();
    clock.set(clock.now() + 60_001);
    expect(await repos.sessions.get(session.token)).toBeNull();
    const next = await repos.sessions.create(user.id, 60_000);
    await repos.sessions.remove(next.token);
    expect(await repos.sessions.get(next.token)).toBeNull();
    await expect(repos.sessions.create('no-such-user', 1000)).rejects.toThrow(
      'No user "no-such-user"',
    );
  });
});
