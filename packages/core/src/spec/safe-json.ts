// The one place JSON from outside is parsed: never throws, returns undefined on bad input.

export function parseJsonSafe<T = unknown>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/**
 * Whether a parsed value nests arrays and objects more than `limit` levels deep (the value itself
 * is level 1). Walks with its own stack, so a hostile depth cannot overflow the call stack here.
 */
export function exceedsJsonDepth(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > limit) return true;
    for (const child of Object.values(item.value))
      pending.push({ value: child, depth: item.depth + 1 });
  }
  return false;
}
