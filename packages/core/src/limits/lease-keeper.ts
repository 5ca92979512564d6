// The fleet-wide concurrency leases this instance's running requests hold (a provider's
// maxConcurrency, a key's): renewed while they run, given back when they end. A lease that is
// not renewed expires on its own, so a dead instance's leases free within LEASE_MS.
import type { SharedQuota } from '../state/shared-quota.ts';
import { writeInBackground } from '../state/state-store.ts';

/** A concurrency lease lasts this long unless renewed, so a dead instance's leases free within it. */
export const LEASE_MS = 30_000;
/** Leases of running requests are renewed this often, well within their lifetime. */
const LEASE_RENEW_MS = 10_000;

export interface Lease {
  subject: string;
  name: string;
  id: string;
}

export class LeaseKeeper {
  private readonly leases = new Set<Lease>();
  private renewTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly quota: SharedQuota) {}

  /** Keeps a lease the store granted alive until `release`. */
  hold(lease: Lease): void {
    this.leases.add(lease);
    if (this.renewTimer !== undefined) return;
    this.renewTimer = setInterval(() => {
      const held = [...this.leases];
      if (held.length > 0) writeInBackground(() => this.quota.renew(held, LEASE_MS));
    }, LEASE_RENEW_MS);
    this.renewTimer.unref?.();
  }

  /** Gives a held lease back to the store; a second call for the same lease does nothing. */
  release(lease: Lease): void {
    if (!this.leases.delete(lease)) return;
    writeInBackground(() => this.quota.release(lease.subject, lease.name, lease.id));
    if (this.leases.size === 0) this.stopRenewing();
  }

  /** Stops renewing (the gateway is closing): the leases expire on their own. */
  close(): void {
    this.leases.clear();
    this.stopRenewing();
  }

  private stopRenewing(): void {
    if (this.renewTimer !== undefined) clearInterval(this.renewTimer);
    this.renewTimer = undefined;
  }
}
