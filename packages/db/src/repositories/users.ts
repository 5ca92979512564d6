// Dashboard users (admin: may change things; viewer: may look) and their sessions.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  ConflictError,
  isPrismaError,
  NotFoundError,
  translateErrors,
  ValidationError,
} from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { writeAudit, type Actor } from './audit.ts';
import type { RepositoryContext } from './context.ts';
import { TRANSACTION_OPTIONS, type DbClient } from './db-client.ts';
import { decoyPasswordHash, hashPassword, needsRehash, verifyPasswordHash } from './passwords.ts';

export type UserRole = 'admin' | 'viewer';

export interface UserRecord {
  id: string;
  email: string;
  role: UserRole;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserCreateInput {
  email: string;
  password: string;
  role: UserRole;
}

export const MIN_PASSWORD_LENGTH = 8;

export interface SignInRecord {
  /** As typed (normalised); for a failure it may name no user. */
  email: string;
  /** The user signed in, when the password was right. */
  userId?: string;
  succeeded: boolean;
  /** The client address the attempt came from. */
  address: string;
}

/** Longest email kept in the audit log for a failed attempt. */
const MAX_AUDITED_EMAIL = 254;

export interface UsersRepository {
  count(): Promise<number>;
  list(): Promise<UserRecord[]>;
  /** Without an actor (the first sign-up) the audit entry is attributed to the system. */
  create(input: UserCreateInput, actor?: Actor): Promise<UserRecord>;
  /**
   * First run: creates the admin only while no user exists, atomically (concurrent calls, on
   * any number of instances, make one admin); null when someone was first.
   */
  createFirstAdmin(input: Omit<UserCreateInput, 'role'>, actor?: Actor): Promise<UserRecord | null>;
  /** A new password; every session of the user ends (the caller may start a fresh one). */
  setPassword(id: string, password: string, actor: Actor): Promise<UserRecord>;
  /** Writes a sign-in, or a failed one, to the audit log. */
  recordSignIn(attempt: SignInRecord): Promise<void>;
  /** Refused with `ConflictError` when it would leave no admin. */
  setRole(id: string, role: UserRole, actor: Actor): Promise<UserRecord>;
  /** Refused with `ConflictError` when it would leave no admin. */
  remove(id: string, actor: Actor): Promise<void>;
  /** The user when the password is right, else null; takes the same time whether or not the email exists. */
  verifyPassword(email: string, password: string): Promise<UserRecord | null>;
}

export interface SessionsRepository {
  /** A random token for the cookie; only its SHA-256 digest is stored. */
  create(userId: string, ttlMs: number): Promise<{ token: string; expiresAt: Date }>;
  /** The session's user, or null when the token is unknown or expired. */
  get(token: string): Promise<{ user: UserRecord; expiresAt: Date } | null>;
  remove(token: string): Promise<void>;
  /** Deletes expired sessions; returns how many. */
  pruneExpired(): Promise<number>;
}

type UserRow = Prisma.UserGetPayload<object>;

export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkUserInput(input: UserCreateInput): void {
  if (!z.email().safeParse(normalizeEmail(input.email)).success)
    throw new ValidationError('email', 'is not a valid email address');
  if (input.password.length < MIN_PASSWORD_LENGTH)
    throw new ValidationError('password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (input.role !== 'admin' && input.role !== 'viewer')
    throw new ValidationError('role', 'must be "admin" or "viewer"');
}

async function findUser(client: DbClient, id: string): Promise<UserRow> {
  const row = await client.user.findUnique({ where: { id } });
  if (!row) throw new NotFoundError('user', id);
  return row;
}

async function ensureAnotherAdmin(client: DbClient, user: UserRow, what: string): Promise<void> {
  if (user.role !== 'admin') return;
  const admins = await client.user.count({ where: { role: 'admin', NOT: { id: user.id } } });
  if (admins === 0) throw new ConflictError(`Cannot ${what} ${user.email}: it is the only admin`);
}

/** Serialises first-run setups across connections and instances (an arbitrary constant). */
const FIRST_ADMIN_LOCK = 7_316_402_915;

function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function createUsersRepository(context: RepositoryContext): UsersRepository {
  const { prisma } = context.db;
  const system: Actor = { via: 'system' };

  return {
    count: () => prisma.user.count(),

    async list() {
      const rows = await prisma.user.findMany({
        orderBy: [{ createdAt: 'asc' }, { email: 'asc' }],
      });
      return rows.map(toUserRecord);
    },

    async create(input, actor) {
      checkUserInput(input);
      const email = normalizeEmail(input.email);
      const passwordHash = await hashPassword(input.password);
      return prisma.$transaction(async (tx) => {
        const row = await translateErrors(
          () => tx.user.create({ data: { email, passwordHash, role: input.role } }),
          `A user with email ${email} already exists`,
        );
        const record = toUserRecord(row);
        await writeAudit(tx, actor ?? system, {
          action: 'create',
          entity: 'user',
          entityId: row.id,
          after: record,
        });
        return record;
      }, TRANSACTION_OPTIONS);
    },

    async createFirstAdmin(input, actor) {
      checkUserInput({ ...input, role: 'admin' });
      const email = normalizeEmail(input.email);
      const passwordHash = await hashPassword(input.password);
      return prisma.$transaction(async (tx) => {
        // The lock is held until the transaction ends, so the count and the insert are one step.
        await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})::text`);
        if ((await tx.user.count()) > 0) return null;
        const row = await tx.user.create({ data: { email, passwordHash, role: 'admin' } });
        const record = toUserRecord(row);
        await writeAudit(tx, actor ?? system, {
          action: 'create',
          entity: 'user',
          entityId: row.id,
          after: record,
        });
        return record;
      }, TRANSACTION_OPTIONS);
    },

    async setPassword(id, password, actor) {
      if (password.length < MIN_PASSWORD_LENGTH)
        throw new ValidationError('password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
      const passwordHash = await hashPassword(password);
      return prisma.$transaction(async (tx) => {
        await findUser(tx, id);
        const updated = await tx.user.update({ where: { id }, data: { passwordHash } });
        await tx.session.deleteMany({ where: { userId: id } });
        await writeAudit(tx, actor, {
          action: 'set-password',
          entity: 'user',
          entityId: id,
          after: toUserRecord(updated),
        });
        return toUserRecord(updated);
      }, TRANSACTION_OPTIONS);
    },

    async recordSignIn(attempt) {
      const email = normalizeEmail(attempt.email).slice(0, MAX_AUDITED_EMAIL);
      await writeAudit(
        prisma,
        { via: 'dashboard', email, ...(attempt.userId ? { userId: attempt.userId } : {}) },
        {
          action: attempt.succeeded ? 'sign-in' : 'sign-in-failed',
          entity: 'user',
          ...(attempt.userId ? { entityId: attempt.userId } : {}),
          after: { address: attempt.address },
        },
      );
    },

    async setRole(id, role, actor) {
      if (role !== 'admin' && role !== 'viewer')
        throw new ValidationError('role', 'must be "admin" or "viewer"');
      return prisma.$transaction(async (tx) => {
        const row = await findUser(tx, id);
        if (row.role === role) return toUserRecord(row);
        await ensureAnotherAdmin(tx, row, 'make a viewer of');
        const updated = await tx.user.update({ where: { id }, data: { role } });
        await writeAudit(tx, actor, {
          action: 'update',
          entity: 'user',
          entityId: id,
          before: toUserRecord(row),
          after: toUserRecord(updated),
        });
        return toUserRecord(updated);
      }, TRANSACTION_OPTIONS);
    },

    async remove(id, actor) {
      await prisma.$transaction(async (tx) => {
        const row = await findUser(tx, id);
        await ensureAnotherAdmin(tx, row, 'remove');
        await tx.user.delete({ where: { id } });
        await writeAudit(tx, actor, {
          action: 'delete',
          entity: 'user',
          entityId: id,
          before: toUserRecord(row),
        });
      }, TRANSACTION_OPTIONS);
    },

    async verifyPassword(email, password) {
      const row = await prisma.user.findUnique({ where: { email: normalizeEmail(email) } });
      const matches = await verifyPasswordHash(
        password,
        row?.passwordHash ?? (await decoyPasswordHash()),
      );
      if (!row || !matches) return null;
      // The password is at hand only now: a hash made at an older cost is redone at today's.
      if (needsRehash(row.passwordHash))
        await prisma.user.update({
          where: { id: row.id },
          data: { passwordHash: await hashPassword(password) },
        });
      return toUserRecord(row);
    },
  };
}

export function createSessionsRepository(context: RepositoryContext): SessionsRepository {
  const { prisma } = context.db;
  const now = () => new Date(context.clock.now());

  return {
    async create(userId, ttlMs) {
      if (!(ttlMs > 0)) throw new ValidationError('ttlMs', 'must be positive');
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(context.clock.now() + ttlMs);
      try {
        await prisma.session.create({ data: { tokenHash: tokenDigest(token), userId, expiresAt } });
      } catch (error) {
        if (isPrismaError(error, 'P2003')) throw new NotFoundError('user', userId);
        throw error;
      }
      return { token, expiresAt };
    },

    async get(token) {
      const row = await prisma.session.findUnique({
        where: { tokenHash: tokenDigest(token) },
        include: { user: true },
      });
      if (!row) return null;
      if (row.expiresAt <= now()) {
        await prisma.session.deleteMany({ where: { id: row.id } });
        return null;
      }
      return { user: toUserRecord(row.user), expiresAt: row.expiresAt };
    },

    async remove(token) {
      await prisma.session.deleteMany({ where: { tokenHash: tokenDigest(token) } });
    },

    async pruneExpired() {
      const { count } = await prisma.session.deleteMany({ where: { expiresAt: { lte: now() } } });
      return count;
    },
  };
}
