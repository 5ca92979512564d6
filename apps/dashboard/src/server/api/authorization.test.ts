import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { appRouter } from './root.ts';
import { createCallerFactory } from './trpc.ts';
import { ADMIN, testContext, untouchableServices, VIEWER } from './test-support.ts';

type ProcedureType = 'query' | 'mutation' | 'subscription';

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } }>,
).map(([path, procedure]) => ({ path, type: procedure._def.type }));

/** Mutations anyone may call: they are how one signs in. */
const PUBLIC_MUTATIONS = new Set(['auth.setup', 'auth.signIn']);
/** Mutations a viewer may call on their own session. */
const VIEWER_MUTATIONS = new Set(['auth.signOut', 'auth.changePassword']);
/** Reads anyone may call. */
const PUBLIC_QUERIES = new Set(['auth.status']);
/** Reads and streams only admins may call. */
const ADMIN_READS = new Set(['users.list', 'settings.exportConfig', 'playground.stream']);
/** Authenticated by an API key instead of a session. */
const KEY_PROCEDURES = new Set(['inference.chat', 'inference.stream', 'inference.models']);

const createCaller = createCallerFactory(appRouter);

async function call(session: typeof ADMIN | null, path: string, type: ProcedureType) {
  const { services, touched } = untouchableServices();
  const caller = createCaller(testContext({ session, services })) as unknown as Record<
    string,
    Record<string, (input?: unknown) => Promise<unknown>>
  >;
  const [namespace, name] = path.split('.') as [string, string];
  const procedure = caller[namespace]?.[name];
  if (!procedure) throw new Error(`no procedure ${path}`);
  let error: unknown;
  try {
    const result = await procedure({});
    if (
      type === 'subscription' &&
      result &&
      typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
    ) {
      for await (const _event of result as AsyncIterable<unknown>) break;
    }
  } catch (caught) {
    error = caught;
  }
  return { error, touched: touched() };
}

function expectRefused(outcome: { error: unknown; touched: number }, codes: string[]) {
  expect(outcome.error).toBeInstanceOf(TRPCError);
  expect(codes).toContain((outcome.error as TRPCError).code);
  expect(outcome.touched).toBe(0);
}

describe('authorization of every procedure', () => {
  it('finds the procedures to check', () => {
    expect(
      procedures.filter((procedure) => procedure.type === 'mutation').length,
    ).toBeGreaterThanOrEqual(20);
    expect(procedures.map((procedure) => procedure.path)).toEqual(
      expect.arrayContaining([
        ...PUBLIC_MUTATIONS,
        ...VIEWER_MUTATIONS,
        ...ADMIN_READS,
        ...KEY_PROCEDURES,
      ]),
    );
  });

  const mutations = procedures.filter(
    (procedure) => procedure.type === 'mutation' && !PUBLIC_MUTATIONS.has(procedure.path),
  );

  it.each(mutations.map((procedure) => [procedure.path, procedure.type] as const))(
    'refuses %s to a signed-out caller',
    async (path, type) => {
      expectRefused(await call(null, path, type), ['UNAUTHORIZED']);
    },
  );

  it.each(
    mutations
      .filter((procedure) => !VIEWER_MUTATIONS.has(procedure.path))
      .map((procedure) => [procedure.path, procedure.type] as const),
  )('refuses %s to a viewer', async (path, type) => {
    expectRefused(
      await call(VIEWER, path, type),
      KEY_PROCEDURES.has(path) ? ['UNAUTHORIZED'] : ['FORBIDDEN'],
    );
  });

  const reads = procedures.filter(
    (procedure) => procedure.type !== 'mutation' && !PUBLIC_QUERIES.has(procedure.path),
  );

  it.each(reads.map((procedure) => [procedure.path, procedure.type] as const))(
    'shows nothing from %s to a signed-out caller',
    async (path, type) => {
      expectRefused(await call(null, path, type), ['UNAUTHORIZED']);
    },
  );

  it.each(
    [...ADMIN_READS].map(
      (path) =>
        [path, procedures.find((procedure) => procedure.path === path)?.type ?? 'query'] as const,
    ),
  )('keeps %s from a viewer', async (path, type) => {
    expectRefused(await call(VIEWER, path, type), ['FORBIDDEN']);
  });

  it.each(
    [...KEY_PROCEDURES].map(
      (path) =>
        [path, procedures.find((procedure) => procedure.path === path)?.type ?? 'query'] as const,
    ),
  )('asks a session without an API key for one on %s', async (path, type) => {
    expectRefused(await call(VIEWER, path, type), ['UNAUTHORIZED']);
    expectRefused(await call(ADMIN, path, type), ['UNAUTHORIZED']);
  });

  it('lets an admin past the role check (the call reaches the services)', async () => {
    const outcome = await call(ADMIN, 'providers.remove', 'mutation');
    expect(outcome.touched).toBe(0);
    expect((outcome.error as TRPCError).code).toBe('BAD_REQUEST');
    const allowed = await (async () => {
      const { services, touched } = untouchableServices();
      const caller = createCaller(testContext({ session: ADMIN, services }));
      await caller.providers.remove({ id: 'x' }).catch(() => undefined);
      return touched();
    })();
    expect(allowed).toBe(1);
  });
});
