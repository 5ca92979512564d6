// Alert webhooks and their deliveries. The URL and the signing secret are sealed like provider
// credentials; records carry the masked URL and whether a secret is set, never either value.
// Deliveries are rows, so a restart loses no pending one, and claimed by moving `nextAttemptAt`
// ahead by a lease, so two instances sharing the database never send the same row at once.
import { ValidationError, NotFoundError } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { writeAudit, type Actor } from './audit.ts';
import type { RepositoryContext } from './context.ts';
import { compact, toJson } from './db-client.ts';

export interface WebhookInput {
  name: string;
  url: string;
  /** Empty or absent: deliveries are not signed. */
  secret?: string | undefined;
  enabled?: boolean | undefined;
}

/** `secret`: a new value replaces it, `null` removes it, absent keeps it. */
export interface WebhookPatch {
  name?: string | undefined;
  url?: string | undefined;
  secret?: string | null | undefined;
  enabled?: boolean | undefined;
}

export interface WebhookRecord {
  id: string;
  name: string;
  /** Scheme, host and port; the path and query masked. */
  url: string;
  hasSecret: boolean;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What a sender needs: the whole URL and the secret, in clear. Server side only. */
export interface WebhookTarget {
  id: string;
  url: string;
  secret?: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  id: string;
  webhookId: string;
  webhookName: string;
  event: string;
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus?: number;
  lastError?: string;
  createdAt: Date;
  deliveredAt?: Date;
}

export interface AlertsRepository {
  listWebhooks(): Promise<WebhookRecord[]>;
  createWebhook(input: WebhookInput, actor: Actor): Promise<WebhookRecord>;
  updateWebhook(id: string, patch: WebhookPatch, actor: Actor): Promise<WebhookRecord>;
  removeWebhook(id: string, actor: Actor): Promise<void>;
  /** The sender's view of one webhook; undefined when it is gone. */
  target(id: string): Promise<WebhookTarget | undefined>;
  /**
   * One pending delivery per enabled webhook (or for `webhookId` alone, enabled or not).
   * `claimForMs`: the rows start claimed by the caller for that long (it sends them itself).
   */
  enqueue(
    event: string,
    payload: unknown,
    options?: { webhookId?: string; claimForMs?: number },
  ): Promise<DeliveryRecord[]>;
  /**
   * Pending deliveries due at `now`, claimed for `leaseMs`: their `nextAttemptAt` moves ahead, so
   * no other sender takes them meanwhile. Oldest first.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<DeliveryRecord[]>;
  /** One attempt's result: delivered, retried at `retryAt`, or failed for good (no `retryAt`). */
  recordAttempt(
    id: string,
    result: { ok: boolean; at: Date; status?: number; error?: string; retryAt?: Date },
  ): Promise<DeliveryRecord>;
  listDeliveries(filter: { limit: number; webhookId?: string }): Promise<DeliveryRecord[]>;
  getDelivery(id: string): Promise<DeliveryRecord | undefined>;
  /** Deletes deliveries created before `olderThan` that are no longer pending; returns how many. */
  pruneDeliveries(olderThan: Date): Promise<number>;
}

const MAX_NAME = 100;
const MAX_URL = 2048;
const MAX_SECRET = 512;
const MAX_ERROR = 500;

/** Only http(s), no userinfo: the check the API's own schema repeats with field names. */
export function checkWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError('url', 'must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ValidationError('url', 'only http:// and https:// URLs can receive alerts');
  if (url.username !== '' || url.password !== '')
    throw new ValidationError('url', 'put credentials in the secret, not in the URL');
  if (text.length > MAX_URL) throw new ValidationError('url', `at most ${MAX_URL} characters`);
  return url;
}

/** `https://hooks.example.com/…`: the path of a webhook URL is often its credential. */
export function maskWebhookUrl(url: URL): string {
  const rest = url.pathname.length > 1 || url.search !== '' ? '/…' : '';
  return `${url.protocol}//${url.host}${rest}`;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new ValidationError('name', 'must not be empty');
  if (trimmed.length > MAX_NAME)
    throw new ValidationError('name', `at most ${MAX_NAME} characters`);
  return trimmed;
}

function sealSecret(secret: string | undefined, secrets: SecretBox): string | null {
  if (secret === undefined || secret === '') return null;
  if (secret.length > MAX_SECRET)
    throw new ValidationError('secret', `at most ${MAX_SECRET} characters`);
  return secrets.encrypt(secret);
}

type WebhookRow = Prisma.AlertWebhookGetPayload<object>;
type DeliveryRow = Prisma.AlertDeliveryGetPayload<{ include: { webhook: true } }>;

function toWebhookRecord(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    hasSecret: row.secretCipher !== null,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const STATUSES: readonly string[] = ['pending', 'delivered', 'failed'] satisfies DeliveryStatus[];

function toDeliveryRecord(row: DeliveryRow): DeliveryRecord {
  return compact({
    id: row.id,
    webhookId: row.webhookId,
    webhookName: row.webhook.name,
    event: row.event,
    payload: row.payload,
    status: (STATUSES.includes(row.status) ? row.status : 'failed') as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastStatus: row.lastStatus ?? undefined,
    lastError: row.lastError ?? undefined,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt ?? undefined,
  });
}

const withWebhook = { webhook: true } as const;

export function createAlertsRepository(context: RepositoryContext): AlertsRepository {
  const { prisma, secrets } = context.db;

  const findWebhook = async (id: string): Promise<WebhookRow> => {
    const row = await prisma.alertWebhook.findUnique({ where: { id } });
    if (!row) throw new NotFoundError('webhook', id);
    return row;
  };

  return {
    async listWebhooks() {
      const rows = await prisma.alertWebhook.findMany({ orderBy: { createdAt: 'asc' } });
      return rows.map(toWebhookRecord);
    },

    async createWebhook(input, actor) {
      const url = checkWebhookUrl(input.url);
      const data = {
        name: checkName(input.name),
        url: maskWebhookUrl(url),
        urlCipher: secrets.encrypt(url.href),
        secretCipher: sealSecret(input.secret, secrets),
        enabled: input.enabled ?? true,
      };
      return prisma.$transaction(async (tx) => {
        const record = toWebhookRecord(await tx.alertWebhook.create({ data }));
        await writeAudit(tx, actor, {
          action: 'create',
          entity: 'webhook',
          entityId: record.id,
          after: record,
        });
        return record;
      });
    },

    async updateWebhook(id, patch, actor) {
      const before = toWebhookRecord(await findWebhook(id));
      const url = patch.url === undefined ? undefined : checkWebhookUrl(patch.url);
      const data: Prisma.AlertWebhookUpdateInput = compact({
        name: patch.name === undefined ? undefined : checkName(patch.name),
        url: url && maskWebhookUrl(url),
        urlCipher: url && secrets.encrypt(url.href),
        secretCipher:
          patch.secret === undefined
            ? undefined
            : patch.secret === null
              ? null
              : sealSecret(patch.secret, secrets),
        enabled: patch.enabled,
      });
      return prisma.$transaction(async (tx) => {
        const record = toWebhookRecord(await tx.alertWebhook.update({ where: { id }, data }));
        await writeAudit(tx, actor, {
          action: 'update',
          entity: 'webhook',
          entityId: id,
          before,
          after: record,
        });
        return record;
      });
    },

    async removeWebhook(id, actor) {
      const before = toWebhookRecord(await findWebhook(id));
      await prisma.$transaction(async (tx) => {
        await tx.alertWebhook.delete({ where: { id } });
        await writeAudit(tx, actor, { action: 'delete', entity: 'webhook', entityId: id, before });
      });
    },

    async target(id) {
      const row = await prisma.alertWebhook.findUnique({ where: { id } });
      if (!row) return undefined;
      return {
        id: row.id,
        url: secrets.decrypt(row.urlCipher),
        ...(row.secretCipher === null ? {} : { secret: secrets.decrypt(row.secretCipher) }),
      };
    },

    async enqueue(event, payload, options = {}) {
      const webhooks = await prisma.alertWebhook.findMany({
        where: options.webhookId === undefined ? { enabled: true } : { id: options.webhookId },
        select: { id: true },
      });
      if (options.webhookId !== undefined && webhooks.length === 0)
        throw new NotFoundError('webhook', options.webhookId);
      const now = new Date(context.clock.now() + (options.claimForMs ?? 0));
      const rows = await Promise.all(
        webhooks.map((webhook) =>
          prisma.alertDelivery.create({
            data: {
              webhookId: webhook.id,
              event,
              payload: toJson(payload),
              nextAttemptAt: now,
            },
            include: withWebhook,
          }),
        ),
      );
      return rows.map(toDeliveryRecord);
    },

    async claimDue(now, limit, leaseMs) {
      const due = await prisma.alertDelivery.findMany({
        where: { status: 'pending', nextAttemptAt: { lte: now } },
        orderBy: { nextAttemptAt: 'asc' },
        take: limit,
        select: { id: true, nextAttemptAt: true },
      });
      const claimed: DeliveryRecord[] = [];
      for (const row of due) {
        // Compare-and-set on the time read: another sender that claimed it first moved it.
        const { count } = await prisma.alertDelivery.updateMany({
          where: { id: row.id, status: 'pending', nextAttemptAt: row.nextAttemptAt },
          data: { nextAttemptAt: new Date(now.getTime() + leaseMs) },
        });
        if (count === 0) continue;
        const fresh = await prisma.alertDelivery.findUnique({
          where: { id: row.id },
          include: withWebhook,
        });
        if (fresh) claimed.push(toDeliveryRecord(fresh));
      }
      return claimed;
    },

    async recordAttempt(id, result) {
      const status: DeliveryStatus = result.ok
        ? 'delivered'
        : result.retryAt === undefined
          ? 'failed'
          : 'pending';
      const row = await prisma.alertDelivery.update({
        where: { id },
        data: {
          status,
          attempts: { increment: 1 },
          lastStatus: result.status ?? null,
          lastError: result.ok ? null : (result.error ?? 'failed').slice(0, MAX_ERROR),
          nextAttemptAt: result.retryAt ?? result.at,
          ...(result.ok ? { deliveredAt: result.at } : {}),
        },
        include: withWebhook,
      });
      return toDeliveryRecord(row);
    },

    async listDeliveries(filter) {
      const rows = await prisma.alertDelivery.findMany({
        where: filter.webhookId === undefined ? {} : { webhookId: filter.webhookId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: filter.limit,
        include: withWebhook,
      });
      return rows.map(toDeliveryRecord);
    },

    async getDelivery(id) {
      const row = await prisma.alertDelivery.findUnique({ where: { id }, include: withWebhook });
      return row ? toDeliveryRecord(row) : undefined;
    },

    async pruneDeliveries(olderThan) {
      const { count } = await prisma.alertDelivery.deleteMany({
        where: { createdAt: { lt: olderThan }, status: { not: 'pending' } },
      });
      return count;
    },
  };
}
