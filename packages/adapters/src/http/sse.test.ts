import { describe, expect, it } from 'vitest';
import { parseLines, parseSse, type SseMessage } from './sse.ts';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function* bytes(...parts: string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const part of parts) yield encoder.encode(part);
}

describe('parseSse', () => {
  it('joins events split across chunks and ignores comments', async () => {
    const events = await collect(parseSse(bytes(': keep-alive\n\nda', 'ta: {"a":1}\n', '\nevent: ping\ndata: x\r\n\r\n')));
    expect(events).toEqual<SseMessage[]>([
      { event: undefined, data: '{"a":1}', id: undefined },
      { event: 'ping', data: 'x', id: undefined },
    ]);
  });

  it('joins multi-line data, handles \\r line ends and a missing final blank line', async () => {
    const events = await collect(parseSse(bytes('data: a\ndata: b\n\n', 'data: c\r', '\rdata: last')));
    expect(events.map((event) => event.data)).toEqual(['a\nb', 'c', 'last']);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const encoded = new TextEncoder().encode('data: héllo\n\n');
    async function* split(): AsyncGenerator<Uint8Array> {
      yield encoded.slice(0, 8);
      yield encoded.slice(8);
    }
    expect((await collect(parseSse(split())))[0]?.data).toBe('héllo');
  });
});

describe('parseLines', () => {
  it('yields NDJSON lines across chunk boundaries', async () => {
    expect(await collect(parseLines(bytes('{"a":1}\n{"b"', ':2}\n\n{"c":3}')))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});
