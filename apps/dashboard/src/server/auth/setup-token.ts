// The one-time setup token: creating the first admin needs it, so whoever reaches a fresh
// instance first over the network (or through a rebound DNS name) cannot claim it. It is printed
// on the console at start, or chosen by the operator in SWITCHYARD_SETUP_TOKEN. Kept on
// globalThis because Next.js may load this module once per route bundle.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { env } from '../../env.ts';

const TOKEN = Symbol.for('switchyard.dashboard.setup-token');

type GlobalWithToken = typeof globalThis & { [TOKEN]?: string };

/** The token for this process: the configured one, else a random one made on first use. */
export function setupToken(): string {
  const holder = globalThis as GlobalWithToken;
  holder[TOKEN] ??= env().SWITCHYARD_SETUP_TOKEN ?? randomBytes(18).toString('base64url');
  return holder[TOKEN];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares in constant time, whatever the candidate's length. */
export function isSetupToken(candidate: string): boolean {
  return timingSafeEqual(digest(candidate.trim()), digest(setupToken()));
}
