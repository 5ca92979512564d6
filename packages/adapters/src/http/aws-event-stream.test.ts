import { describe, expect, it } from 'vitest';
import { encodeEventStreamFrame } from '@switchyard/testkit';
import {
  decodeEventStream,
  EventStreamFormatError,
  type EventStreamFrame,
} from './aws-event-stream.ts';

function frame(eventType: string, payload: unknown): Uint8Array {
  return encodeEventStreamFrame(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify(payload)),
  );
}

async function decode(chunks: Uint8Array[]): Promise<EventStreamFrame[]> {
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield await Promise.resolve(chunk);
  }
  const frames: EventStreamFrame[] = [];
  for await (const decoded of decodeEventStream(source())) frames.push(decoded);
  return frames;
}

const payloadOf = (decoded: EventStreamFrame | undefined): unknown =>
  JSON.parse(Buffer.from(decoded?.body ?? []).toString('utf8'));

describe('decodeEventStream', () => {
  const first = frame('messageStart', { role: 'assistant' });
  const second = frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'héllo' } });
  const all = Buffer.concat([first, second]);

  it('decodes several frames delivered in one chunk', async () => {
    const frames = await decode([all]);
    expect(frames.map((decoded) => decoded.headers[':event-type'])).toEqual([
      'messageStart',
      'contentBlockDelta',
    ]);
    expect(frames[0]?.headers).toEqual({
      ':event-type': 'messageStart',
      ':content-type': 'application/json',
      ':message-type': 'event',
    });
    expect(payloadOf(frames[1])).toEqual({ contentBlockIndex: 0, delta: { text: 'héllo' } });
  });

  it('reassembles frames split at every possible byte boundary, including inside the prelude', async () => {
    for (const cut of [1, 3, 7, 11, 12, first.length - 1, first.length + 2, all.length - 1]) {
      const frames = await decode([all.subarray(0, cut), all.subarray(cut)]);
      expect(frames).toHaveLength(2);
      expect(payloadOf(frames[1])).toEqual({ contentBlockIndex: 0, delta: { text: 'héllo' } });
    }
    const byteByByte = await decode([...all].map((byte) => Uint8Array.of(byte)));
    expect(byteByByte).toHaveLength(2);
  });

  it('refuses a frame whose checksum does not match', async () => {
    const corrupted = Buffer.from(first);
    corrupted[corrupted.length - 6] = (corrupted[corrupted.length - 6] ?? 0) ^ 0xff;
    await expect(decode([corrupted])).rejects.toBeInstanceOf(EventStreamFormatError);
  });

  it('refuses bytes that are not an event stream and a stream that stops inside a frame', async () => {
    await expect(
      decode([Buffer.from('<html><body>502 Bad Gateway</body></html>')]),
    ).rejects.toBeInstanceOf(EventStreamFormatError);
    await expect(decode([all.subarray(0, first.length + 5)])).rejects.toThrow(
      /ended inside a frame/,
    );
  });
});
