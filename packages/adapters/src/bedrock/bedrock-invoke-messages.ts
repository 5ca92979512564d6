// The Messages API spoken natively on Bedrock's Anthropic models: InvokeModel and
// InvokeModelWithResponseStream with the client's own body in Bedrock's form. Bedrock names the
// model in the URL, decides streaming by the operation and takes the API version (and betas) in
// the body, so `model` and `stream` are cut out and `anthropic_version` (and `anthropic_beta`)
// put in; every other byte is the client's. Stream `chunk` frames carry one Anthropic event each:
// they are handed on as the SSE frames Anthropic would have written.
import {
  hasMember,
  parseJsonSafe,
  withoutMember,
  type NativeRequest,
  type StreamEvent,
} from '@switchyard/core';
import { toUtf8 } from '@smithy/util-utf8';
import type { EventStreamFrame, StreamDecoder, StreamFormat, StreamState } from '../http/index.ts';
import { isJsonObject, protocolError } from '../shared/index.ts';
import { NativeMessagesDecoder } from '../anthropic/anthropic-messages-native.ts';
import { BedrockStreamDecoder } from './bedrock-stream.ts';

export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

/** Bedrock model ids (and inference profiles, ARNs) of Anthropic's models carry its provider prefix. */
export function isBedrockAnthropicModel(modelId: string): boolean {
  return /(?:^|[.:/])anthropic\./.test(modelId);
}

/** The client's Messages body as Bedrock's InvokeModel takes it. */
export function bedrockMessagesBody(native: NativeRequest): string {
  let body = withoutMember(withoutMember(native.body, 'model'), 'stream');
  const betas = native.headers['anthropic-beta'];
  const added = [
    ...(hasMember(body, 'anthropic_version')
      ? []
      : [`"anthropic_version":${JSON.stringify(BEDROCK_ANTHROPIC_VERSION)}`]),
    ...(betas && !hasMember(body, 'anthropic_beta')
      ? [`"anthropic_beta":${JSON.stringify(betas.split(',').map((beta) => beta.trim()))}`]
      : []),
  ];
  if (added.length === 0) return body;
  const open = body.indexOf('{');
  const empty = /^\s*}/.test(body.slice(open + 1));
  body = `${body.slice(0, open + 1)}${added.join(',')}${empty ? '' : ','}${body.slice(open + 1)}`;
  return body;
}

/** CountTokens for the same body: InvokeModel's input, base64 as the JSON protocol sends blobs. */
export function bedrockTokenCountBody(native: NativeRequest): string {
  const body = Buffer.from(bedrockMessagesBody(native)).toString('base64');
  return JSON.stringify({ input: { invokeModel: { body } } });
}

export function readBedrockTokenCount(answer: unknown, provider: string): number {
  if (isJsonObject(answer) && typeof answer.inputTokens === 'number') return answer.inputTokens;
  throw protocolError(provider, 'CountTokens answered 200 with a body without inputTokens');
}

/**
 * InvokeModelWithResponseStream frames as native Messages events: `chunk` payloads decoded to
 * Anthropic SSE; exception frames end the stream as Bedrock's errors, as in ConverseStream.
 */
class BedrockMessagesDecoder implements StreamDecoder<EventStreamFrame> {
  private readonly messages: NativeMessagesDecoder;
  private readonly exceptions: BedrockStreamDecoder;

  constructor(context: { provider: string; model: string }) {
    this.messages = new NativeMessagesDecoder(context);
    this.exceptions = new BedrockStreamDecoder({ ...context, id: '' });
  }

  get state(): StreamState {
    return this.exceptions.state === 'failed' ? 'failed' : this.messages.state;
  }

  decode(frame: EventStreamFrame, events: StreamEvent[]): void {
    if (frame.headers[':message-type'] !== 'event') {
      this.exceptions.decode(frame, events);
      return;
    }
    const payload = parseJsonSafe(toUtf8(frame.body));
    const bytes = isJsonObject(payload) && typeof payload.bytes === 'string' ? payload.bytes : '';
    const data = Buffer.from(bytes, 'base64').toString('utf8');
    const event = parseJsonSafe(data);
    const type = isJsonObject(event) && typeof event.type === 'string' ? event.type : undefined;
    this.messages.decode({ event: type, data, id: undefined }, events);
  }

  end(events: StreamEvent[]): void {
    this.messages.end(events);
  }
}

export function bedrockMessagesStreamFormat(context: {
  provider: string;
  model: string;
}): StreamFormat<'aws-event-stream'> {
  return {
    framing: 'aws-event-stream',
    vendor: 'Bedrock',
    decode: () => new BedrockMessagesDecoder(context),
  };
}

/** The Messages error type a status stands for, as Anthropic names it. */
function messagesErrorType(status: number): string {
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  return 'invalid_request_error';
}

/**
 * A Bedrock error body (`{"message": …}`) in the Messages envelope a Messages client reads, with
 * Bedrock's own words: InvokeModel answers in Bedrock's shape, not Anthropic's.
 */
export function bedrockMessagesErrorBody(status: number, text: string): string {
  const parsed = parseJsonSafe(text);
  const message =
    isJsonObject(parsed) && typeof parsed.message === 'string'
      ? parsed.message
      : text.trim().slice(0, 500) || `HTTP ${status}`;
  return JSON.stringify({ type: 'error', error: { type: messagesErrorType(status), message } });
}
