import { describe, expect, it } from 'vitest';
import { NdjsonParser, parseLines } from './ndjson.ts';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function* bytes(...parts: string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const part of parts) yield await Promise.resolve(encoder.encode(part));
}

describe('parseLines', () => {
  it('yields NDJSON lines across chunk boundaries', async () => {
    expect(await collect(parseLines(bytes('{"a":1}\n{"b"', ':2}\n\n{"c":3}')))).toEqual([
      '{"a":1}',
      '{"b":2}',
      '{"c":3}',
    ]);
  });
});

describe('NdjsonParser', () => {
  it('returns the lines each chunk completes, and the unterminated last one at the end', () => {
    const parser = new NdjsonParser();
    expect(parser.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(parser.push(':2}\r\n\n')).toEqual(['{"b":2}']);
    expect(parser.push('{"c":3}')).toEqual([]);
    expect(parser.end()).toEqual(['{"c":3}']);
  });
});
