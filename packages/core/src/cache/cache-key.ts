// The exact-match cache key: a SHA-256 of the normalised request as canonical JSON.
import { createHash } from 'node:crypto';
import type { ChatRequest } from '../spec/chat-request.ts';

/** Fields that change how an answer is delivered or attributed, never the answer itself. */
const IGNORED_FIELDS: ReadonlySet<string> = new Set([
  'stream',
  'stream_options',
  'user',
  'metadata',
]);

/** The value with object keys sorted at every depth and undefined members dropped, as JSON. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map((item: unknown) => (item === undefined ? null : sortKeys(item)));
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[name];
    if (member !== undefined) sorted[name] = sortKeys(member);
  }
  return sorted;
}

/**
 * Stable key of a request on a route: every field that can change the answer (messages, tools,
 * sampling parameters, unknown vendor fields …) counts; `stream`, `stream_options`, `user` and
 * `metadata` do not. A top-level `null` means "the default", the same as leaving the field out.
 */
export function cacheKeyFor(routeName: string, request: ChatRequest): string {
  const normalised: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(request)) {
    if (IGNORED_FIELDS.has(name) || value === undefined || value === null) continue;
    normalised[name] = value;
  }
  return createHash('sha256')
    .update(canonicalJson({ route: routeName, request: normalised }))
    .digest('hex');
}
