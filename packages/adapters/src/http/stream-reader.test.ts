import { Readable } from 'node:stream';
import { UpstreamError, type StreamEvent } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { encodeEventStreamFrame } from '@switchyard/testkit';
import type { EventStreamFrame } from './aws-event-stream.ts';
import type { HttpResponse } from './http-client.ts';
import type { SseMessage } from './sse.ts';
import { readStream, VendorStreamDecoder, type StreamFraming } from './stream-reader.ts';

const request = {
  provider: 'p1',
  url: 'http://127.0.0.1:1/stream',
  signal: new AbortController().signal,
  deadline: Date.now() + 60_000,
};

function responseOf(body: Readable): HttpResponse {
  return { status: 200, headers: {}, body: body as unknown as HttpResponse['body'] };
}

/** Text events until `stop` (complete) or `fail` (failed); counts what it was given. */
class TextDecoder extends VendorStreamDecoder<SseMessage | string> {
  decoded: string[] = [];

  constructor(private readonly opening: StreamEvent[] = []) {
    super('p1', 'Test stream');
  }

  begin(events: StreamEvent[]): void {
    events.push(...this.opening);
  }

  decode(message: SseMessage | string, events: StreamEvent[]): void {
    const data = typeof message === 'string' ? message : message.data;
    this.decoded.push(data);
    if (data === 'stop') this.state = 'complete';
    else if (data === 'fail') events.push(this.fail(this.protocolError('told to fail')));
    else events.push({ type: 'text-delta', choiceIndex: 0, text: data });
  }

  end(events: StreamEvent[]): void {
    events.push(this.fail(this.protocolError('ended early')));
  }
}

async function collect(
  body: Readable,
  decoder: VendorStreamDecoder<SseMessage | string>,
  framing: Extract<StreamFraming, 'sse' | 'ndjson'> = 'sse',
): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const stream = readStream(responseOf(body), request, {
    framing,
    vendor: 'Test',
    decode: () => decoder,
  });
  for await (const event of stream) events.push(event);
  return events;
}

const texts = (events: StreamEvent[]) =>
  events.map((event) => (event.type === 'text-delta' ? event.text : event.type));

describe('readStream', () => {
  it('decodes every event of a chunk and reassembles events split across chunks', async () => {
    const body = Readable.from([Buffer.from('data: a\n\ndata: b\n\nda'), Buffer.from('ta: c\n\n')]);
    const decoder = new TextDecoder();
    const events = await collect(body, decoder);
    expect(texts(events)).toEqual(['a', 'b', 'c', 'error']);
    expect(events[3]).toMatchObject({
      error: { kind: 'protocol', message: 'Test stream: ended early' },
    });
  });

  it('delivers the decoder’s opening events before any byte is read', async () => {
    const start: StreamEvent = { type: 'start', id: 'x', model: 'm', created: 1 };
    const events = await collect(Readable.from(['data: stop\n\n']), new TextDecoder([start]));
    expect(events).toEqual([start]);
  });

  it('drains the rest of the body unread once the answer is complete', async () => {
    const body = Readable.from(['data: a\n\ndata: stop\n\n', 'data: after\n\n']);
    const decoder = new TextDecoder();
    expect(texts(await collect(body, decoder))).toEqual(['a']);
    expect(decoder.decoded).toEqual(['a', 'stop']);
    expect(body.readableEnded).toBe(true);
    expect(body.destroyed).toBe(true);
  });

  it('closes the body after an error event and drops what follows', async () => {
    const body = Readable.from(['data: a\n\ndata: fail\n\ndata: b\n\n', 'data: c\n\n']);
    const decoder = new TextDecoder();
    expect(texts(await collect(body, decoder))).toEqual(['a', 'error']);
    expect(decoder.decoded).toEqual(['a', 'fail']);
    expect(body.readableEnded).toBe(false);
    expect(body.destroyed).toBe(true);
  });

  it('reads NDJSON lines with the same decoder', async () => {
    const events = await collect(Readable.from(['a\nb', '\nstop\n']), new TextDecoder(), 'ndjson');
    expect(texts(events)).toEqual(['a', 'b']);
  });

  it('closes the upstream connection when the consumer stops early', async () => {
    const body = Readable.from(['data: a\n\n', 'data: b\n\n']);
    const stream = readStream(responseOf(body), request, {
      framing: 'sse',
      vendor: 'Test',
      decode: () => new TextDecoder(),
    });
    for await (const event of stream) if (event.type === 'text-delta') break;
    expect(body.destroyed).toBe(true);
  });

  it('turns a connection lost mid-stream into an error event', async () => {
    const body = new Readable({ read() {} });
    body.push('data: a\n\n');
    setTimeout(() => body.destroy(Object.assign(new Error('reset'), { code: 'ECONNRESET' })), 20);
    const events = await collect(body, new TextDecoder());
    expect(texts(events)).toEqual(['a', 'error']);
    const error = (events[1] as Extract<StreamEvent, { type: 'error' }>).error;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'connection', provider: 'p1' });
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    const body = new Readable({ read() {} });
    body.push('data: a\n\n');
    const stream = readStream(
      responseOf(body),
      { ...request, signal: controller.signal },
      { framing: 'sse', vendor: 'Test', decode: () => new TextDecoder() },
    );
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'text-delta', text: 'a' });
    setTimeout(() => {
      controller.abort(reason);
      body.destroy(reason);
    }, 20);
    await expect(iterator.next()).rejects.toBe(reason);
    expect(body.destroyed).toBe(true);
  });

  it('keeps the frames before malformed event-stream bytes, then ends with a protocol error', async () => {
    const frame = encodeEventStreamFrame(
      { ':event-type': 'chunk', ':message-type': 'event' },
      Buffer.from('{}'),
    );
    const corrupted = Buffer.from(frame);
    corrupted[corrupted.length - 1] = (corrupted[corrupted.length - 1] ?? 0) ^ 0xff;
    const seen: string[] = [];
    class FrameDecoder extends VendorStreamDecoder<EventStreamFrame> {
      constructor() {
        super('p1', 'Frames');
      }
      decode(message: EventStreamFrame, events: StreamEvent[]): void {
        seen.push(message.headers[':event-type'] ?? '');
        events.push({ type: 'text-delta', choiceIndex: 0, text: 'frame' });
      }
      end(): void {
        this.state = 'complete';
      }
    }
    const events: StreamEvent[] = [];
    const stream = readStream(
      responseOf(Readable.from([Buffer.concat([frame, corrupted])])),
      request,
      { framing: 'aws-event-stream', vendor: 'Bedrock', decode: () => new FrameDecoder() },
    );
    for await (const event of stream) events.push(event);
    expect(seen).toEqual(['chunk']);
    expect(texts(events)).toEqual(['frame', 'error']);
    expect(events[1]).toMatchObject({ error: { kind: 'protocol' } });
    expect((events[1] as Extract<StreamEvent, { type: 'error' }>).error.message).toMatch(
      /^Bedrock stream: malformed event-stream frame/,
    );
  });
});
