// Request bodies sent compressed (`Content-Encoding: gzip`, `deflate`, `br`), decoded within the
// body size limit: the limit applies to the decoded body too, so a small compressed body cannot
// expand into an unbounded one. An encoding the gateway does not know is a 415.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { GatewayError, InvalidRequestError } from '../spec/errors.ts';
import { bodyTooLarge } from './gateway-http.ts';

type Decoder = (input: Buffer, options: { maxOutputLength: number }) => Buffer;

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/** The body as text, decoded by its `Content-Encoding` (none, or one of gzip, deflate, br). */
export function decodeBody(raw: Buffer, contentEncoding: string | null | undefined, limit: number) {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return raw.toString('utf8');
  const decoder = DECODERS[encoding];
  if (!decoder)
    throw new GatewayError({
      status: 415,
      type: 'invalid_request_error',
      code: 'unsupported_content_encoding',
      message: `Content-Encoding "${encoding.slice(0, 40)}" is not supported (use gzip, deflate, br or none)`,
    });
  try {
    return decoder(raw, { maxOutputLength: limit }).toString('utf8');
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw bodyTooLarge(limit);
    throw new InvalidRequestError(
      `The request body is not valid ${encoding} data`,
      null,
      'invalid_content_encoding',
    );
  }
}
