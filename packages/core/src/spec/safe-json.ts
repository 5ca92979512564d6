// The one place JSON from outside is parsed: never throws, returns undefined on bad input.

export function parseJsonSafe<T = unknown>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
