// Parses upstream retry hints: `retry-after-ms` (milliseconds), `retry-after` (seconds or an
// HTTP date). Returns undefined when absent or unreadable.
import { headerValue, type HttpResponse } from './http-client.ts';

export function parseRetryAfter(
  headers: HttpResponse['headers'],
  now = Date.now(),
): number | undefined {
  const milliseconds = headerValue(headers, 'retry-after-ms');
  if (milliseconds !== undefined) {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const retryAfter = headerValue(headers, 'retry-after');
  if (retryAfter === undefined) return undefined;
  const trimmed = retryAfter.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Google's `RetryInfo.retryDelay` ("1.5s") in milliseconds. */
export function parseDurationString(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match?.[1] ? Math.ceil(Number(match[1]) * 1000) : undefined;
}
