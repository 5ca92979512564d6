// Multi-instance mode on Redis (or a Redis Cluster) through ioredis: the StateStore that circuits,
// health and the cache publish to, and the SharedQuota that decides limits for the whole fleet.
// Redis away is not an error: commands fail fast (no offline queue, a short timeout), callers
// fall back to local state, the connection is retried in the background, and the transitions
// are logged once each and exposed as the `switchyard_state_store_up` gauge.
import { createHash, randomUUID } from 'node:crypto';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type {
  BudgetVerdict,
  QuotaSubject,
  QuotaVerdict,
  SharedQuota,
  StateStore,
} from '@switchyard/core';
import {
  ADD_SCRIPT,
  ADJUST_SCRIPT,
  INCREMENT_SCRIPT,
  RENEW_SCRIPT,
  RESERVE_BUDGET_SCRIPT,
  SETTLE_BUDGET_SCRIPT,
  TAKE_SCRIPT,
} from './redis-scripts.ts';

export type RedisTarget = { kind: 'redis'; url: string } | { kind: 'cluster'; nodes: string[] };

export interface StateLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface RedisStateOptions {
  target: RedisTarget;
  log: StateLog;
  /** Called with every change of reachability (and once at the first answer). */
  onReachable?: (up: boolean) => void;
  /** Ms a command may take before it counts as failed (default 250). */
  commandTimeoutMs?: number;
}

/** The request path waits at most this long for Redis before deciding locally. */
const COMMAND_TIMEOUT_MS = 250;
/** Reconnect attempts are this far apart at most, so sharing resumes well within 5 s. */
const MAX_RECONNECT_DELAY_MS = 1_000;
/** Keys of a month's budget outlive the month, for late settlements. */
const BUDGET_TTL_MS = 40 * 24 * 3_600_000;
/** How often a cluster's masters are pinged for the reachability gauge. */
const SLOT_CHECK_MS = 1_000;
const PREFIX = 'switchyard:';
const STATE_CHANNEL = `${PREFIX}state`;

interface ScriptClient {
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
  evalsha(sha: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
}

type Client = Redis | Cluster;

export class RedisState implements StateStore, SharedQuota {
  private readonly client: Client;
  private readonly subscriber: Client;
  private readonly log: StateLog;
  private readonly onReachable: ((up: boolean) => void) | undefined;
  private readonly listeners = new Set<{
    prefix: string;
    listener: (key: string, value: unknown) => void;
  }>();
  private up: boolean | undefined;
  private closed = false;
  private slotCheck: ReturnType<typeof setInterval> | undefined;
  /** Every master a cluster client has listed: all must answer for every slot to be reachable. */
  private readonly masters = new Set<string>();
  readonly description: string;
  /** Every instance on this Redis reads and writes the same state. */
  readonly shared = true;

  constructor(options: RedisStateOptions) {
    this.log = options.log;
    this.onReachable = options.onReachable;
    const timeout = options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS;
    const redisOptions: RedisOptions = {
      commandTimeout: timeout,
      connectTimeout: 1_000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
    };
    const { target } = options;
    if (target.kind === 'cluster') {
      const nodes = target.nodes.map((node) => clusterNode(node));
      const first = target.nodes[0];
      const credentials = first ? credentialsOf(first) : {};
      const make = () =>
        new Cluster(nodes, {
          enableOfflineQueue: false,
          clusterRetryStrategy: (attempt) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
          redisOptions: { ...redisOptions, ...credentials },
        });
      this.client = make();
      this.subscriber = make();
      this.description = `redis cluster (${target.nodes.map(withoutCredentials).join(', ')})`;
      this.slotCheck = setInterval(() => void this.checkMasters(), SLOT_CHECK_MS);
      this.slotCheck.unref();
    } else {
      this.client = new Redis(target.url, redisOptions);
      this.subscriber = new Redis(target.url, { ...redisOptions, commandTimeout: undefined });
      this.description = `redis (${withoutCredentials(target.url)})`;
    }
    this.watch(this.client);
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(STATE_CHANNEL).catch(() => undefined);
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === STATE_CHANNEL) this.deliver(message);
    });
  }

  /** Whether the last word from Redis was that it is reachable. */
  get reachable(): boolean {
    return this.up === true;
  }

  /** The command connection, for stores that keep their own keys in the same Redis. */
  get commands(): Redis | Cluster {
    return this.client;
  }

  // ---- StateStore ----

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.client.get(PREFIX + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    if (ttlMs !== undefined && ttlMs <= 0) return this.delete(key);
    const json = JSON.stringify(value);
    if (ttlMs === undefined) await this.client.set(PREFIX + key, json);
    else await this.client.set(PREFIX + key, json, 'PX', Math.ceil(ttlMs));
    await this.client.publish(STATE_CHANNEL, JSON.stringify({ key, value }));
  }

  async setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
    const json = JSON.stringify(value);
    const reply = await this.client.set(PREFIX + key, json, 'PX', Math.ceil(ttlMs), 'NX');
    return reply === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.client.del(PREFIX + key);
    await this.client.publish(STATE_CHANNEL, JSON.stringify({ key }));
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    const value = await this.run(INCREMENT_SCRIPT, [PREFIX + key], [by, Math.ceil(ttlMs)]);
    return Number(value);
  }

  subscribe(prefix: string, listener: (key: string, value: unknown) => void): () => void {
    const entry = { prefix, listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.slotCheck !== undefined) clearInterval(this.slotCheck);
    this.listeners.clear();
    await Promise.all([quit(this.client), quit(this.subscriber)]);
  }

  // ---- SharedQuota ----

  async take(subject: QuotaSubject, windowMs: number, leaseMs: number): Promise<QuotaVerdict> {
    const id = randomUUID();
    const keys = subject.checks.map((check) => quotaKey(subject.subject, check.name));
    const args: Array<string | number> = [windowMs, leaseMs, id];
    for (const check of subject.checks) {
      if (check.kind === 'window') args.push('w', check.limit, check.need, Math.max(0, check.add));
      else args.push('l', check.limit, 0, 0);
    }
    const reply = (await this.run(TAKE_SCRIPT, keys, args)) as [number, number, number[]];
    if (reply[0] === 1) return { ok: true, id };
    const refused = reply[2].flatMap((index) => subject.checks[index - 1]?.name ?? []);
    return { ok: false, retryAfterMs: Math.max(1, Number(reply[1])), refused };
  }

  async adjust(subject: string, name: string, id: string, amount: number): Promise<void> {
    await this.run(ADJUST_SCRIPT, [quotaKey(subject, name)], [id, Math.max(0, amount)]);
  }

  async add(subject: string, name: string, amount: number, windowMs: number): Promise<void> {
    await this.run(ADD_SCRIPT, [quotaKey(subject, name)], [amount, randomUUID(), windowMs]);
  }

  async release(subject: string, name: string, id: string): Promise<void> {
    await this.client.zrem(quotaKey(subject, name), id);
  }

  async renew(
    leases: ReadonlyArray<{ subject: string; name: string; id: string }>,
    leaseMs: number,
  ): Promise<void> {
    // One call per lease: in a cluster, leases of different subjects live on different slots.
    await Promise.all(
      leases.map((lease) =>
        this.run(RENEW_SCRIPT, [quotaKey(lease.subject, lease.name)], [lease.id, leaseMs]),
      ),
    );
  }

  async reserveBudget(
    keyId: string,
    month: string,
    budgetUsd: number,
    knownSpendUsd: number,
    holdMs: number,
  ): Promise<BudgetVerdict> {
    const id = randomUUID();
    const reply = await this.run(RESERVE_BUDGET_SCRIPT, budgetKeys(keyId, month), [
      budgetUsd,
      knownSpendUsd,
      id,
      holdMs,
      BUDGET_TTL_MS,
    ]);
    return Number(reply) === 1 ? { ok: true, id } : { ok: false };
  }

  async settleBudget(keyId: string, month: string, id: string, costUsd: number): Promise<void> {
    await this.run(SETTLE_BUDGET_SCRIPT, budgetKeys(keyId, month), [
      id,
      Math.max(0, costUsd),
      BUDGET_TTL_MS,
    ]);
  }

  // ---- internals ----

  /** EVALSHA, loading the script on the first NOSCRIPT (cached by Redis per node). */
  private async run(
    script: string,
    keys: string[],
    args: Array<string | number>,
  ): Promise<unknown> {
    const client = this.client as unknown as ScriptClient;
    const sha = scriptSha(script);
    try {
      return await client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await client.eval(script, keys.length, ...keys, ...args);
    }
  }

  private watch(client: Client): void {
    // Without an 'error' listener ioredis would raise every connection error as an exception.
    client.on('error', () => undefined);
    // A cluster is up only when every master answers, which `checkMasters` finds out.
    client.on('ready', () =>
      client instanceof Cluster ? void this.checkMasters() : this.reachability(true),
    );
    client.on('close', () => this.reachability(false));
    client.on('end', () => this.reachability(false));
    // A client that cannot connect at start never emits 'close' before its first retry.
    client.on('reconnecting', () => this.reachability(false));
  }

  /**
   * A cluster client stays ready while one master is down, so every slot is reachable only when
   * every master answers.
   */
  private async checkMasters(): Promise<void> {
    const client = this.client;
    if (!(client instanceof Cluster)) return;
    if (client.status !== 'ready') {
      if (this.up === true) this.reachability(false);
      return;
    }
    const masters = client.nodes('master');
    const seen = new Set<string>();
    const answers = await Promise.all(
      masters.map((node) => {
        seen.add(`${node.options.host}:${node.options.port}`);
        return node.ping().then(
          () => true,
          () => false,
        );
      }),
    );
    for (const master of seen) this.masters.add(master);
    // A master the client dropped from its list holds slots nobody else serves.
    const missing = [...this.masters].some((master) => !seen.has(master));
    this.reachability(masters.length > 0 && !missing && answers.every(Boolean));
  }

  private reachability(up: boolean): void {
    if (this.closed || this.up === up) return;
    this.up = up;
    if (up) this.log.info(`state store connected: ${this.description}`);
    else this.log.warn(`state store unavailable: ${this.description}; limits count per instance`);
    this.onReachable?.(up);
  }

  private deliver(message: string): void {
    let parsed: { key?: unknown; value?: unknown };
    try {
      parsed = JSON.parse(message) as { key?: unknown; value?: unknown };
    } catch {
      return;
    }
    const { key, value } = parsed;
    if (typeof key !== 'string') return;
    for (const { prefix, listener } of this.listeners) {
      if (!key.startsWith(prefix)) continue;
      try {
        listener(key, value);
      } catch {
        // One subscriber's bug must not stop delivery to the others.
      }
    }
  }
}

/** The hash tag keeps every counter of one subject on one cluster slot, for multi-key scripts. */
function quotaKey(subject: string, name: string): string {
  return `${PREFIX}{quota:${subject}}:${name}`;
}

function budgetKeys(keyId: string, month: string): string[] {
  const tag = `${PREFIX}{budget:${encodeURIComponent(keyId)}:${month}}`;
  return [`${tag}:spend`, `${tag}:held`];
}

const shas = new Map<string, string>();

function scriptSha(script: string): string {
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
}

async function quit(client: Client): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

function clusterNode(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379) };
}

function credentialsOf(url: string): { username?: string; password?: string; tls?: object } {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** A URL fit for logs: credentials never are. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'an invalid URL';
  }
}
