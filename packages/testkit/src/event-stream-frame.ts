// Encodes one frame of the AWS binary event stream (`application/vnd.amazon.eventstream`), as
// Bedrock sends them; the mock and the adapters' decoder tests build their bytes with it.
import { EventStreamCodec, type Message } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export function encodeEventStreamFrame(
  headers: Record<string, string>,
  body: Uint8Array,
): Uint8Array {
  const typed: Message['headers'] = {};
  for (const [name, value] of Object.entries(headers)) typed[name] = { type: 'string', value };
  return codec.encode({ headers: typed, body });
}
