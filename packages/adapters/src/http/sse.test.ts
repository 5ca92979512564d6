import { describe, expect, it } from 'vitest';
import { parseSse, type SseMessage } from './sse.ts';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function bytes(...parts: string[]): AsyncIterable<Uint8Array> {
  const encoder = new TextEncoder();
  return toAsync(parts.map((part) => encoder.encode(part)));
}

function toAsync<T>(items: T[]): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      let index = 0;
      return {
        next: () =>
          Promise.resolve(
            index < items.length
              ? { done: false as const, value: items[index++]! }
              : { done: true as const, value: undefined },
          ),
      };
    },
  };
}

describe('parseSse', () => {
  it('joins events split across chunks and ignores comments', async () => {
    const events = await collect(
      parseSse(bytes(': keep-alive\n\nda', 'ta: {"a":1}\n', '\nevent: ping\ndata: x\r\n\r\n')),
    );
    expect(events).toEqual<SseMessage[]>([
      { event: undefined, data: '{"a":1}', id: undefined },
      { event: 'ping', data: 'x', id: undefined },
    ]);
  });

  it('joins multi-line data, handles \\r line ends and a missing final blank line', async () => {
    const events = await collect(
      parseSse(bytes('data: a\ndata: b\n\n', 'data: c\r', '\rdata: last')),
    );
    expect(events.map((event) => event.data)).toEqual(['a\nb', 'c', 'last']);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const encoded = new TextEncoder().encode('data: héllo\n\n');
    expect(
      (await collect(parseSse(toAsync([encoded.slice(0, 8), encoded.slice(8)]))))[0]?.data,
    ).toBe('héllo');
  });
});
