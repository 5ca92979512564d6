// Bedrock's InvokeModel / InvokeModelWithResponseStream for Anthropic models, as the Bedrock mock
// serves them: the Messages body in Bedrock's form (`anthropic_version: "bedrock-2023-05-31"`, no
// `model`, no `stream`), the answer an Anthropic message, streamed as `chunk` event-stream frames
// whose `bytes` hold one Anthropic stream event each; CountTokens with such a body as `invokeModel`.
import { encodeEventStreamFrame } from './event-stream-frame.ts';
import { countTokens, lastUserText, splitIntoChunks, type RecordedRequest } from './mock-server.ts';

export const BEDROCK_INVOKE_PATH =
  /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream|count-tokens)$/;

/** The answer channel of the Bedrock mock (HTTP/1.1 or HTTP/2). */
interface InvokeReply {
  head(status: number, headers: Record<string, string>): void;
  end(data?: Uint8Array | string): void;
}

export interface InvokeContext {
  requestId: string;
  sequence: number;
  modelId: string;
  operation: 'invoke' | 'invoke-with-response-stream' | 'count-tokens';
  /** Each answer's Anthropic JSON (bodies, or the stream's events joined by newlines). */
  sent: string[];
}

type Body = Record<string, unknown>;

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validationError(reply: InvokeReply, requestId: string, message: string): void {
  reply.head(400, {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/',
  });
  reply.end(JSON.stringify({ message }));
}

/** What Bedrock refuses in an Anthropic body; undefined when it takes it. */
/** CountTokens carries the InvokeModel body base64-encoded in `input.invokeModel.body`. */
function countTokensBody(wrapper: unknown): unknown {
  const input = isRecord(wrapper) && isRecord(wrapper.input) ? wrapper.input : undefined;
  const invoke = input && isRecord(input.invokeModel) ? input.invokeModel : undefined;
  if (typeof invoke?.body !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(invoke.body, 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function problemOf(body: unknown, counting = false): string | undefined {
  if (!isRecord(body)) return 'Malformed input request: body is not JSON';
  if (body.anthropic_version !== 'bedrock-2023-05-31')
    return 'Malformed input request: #: required key [anthropic_version] not found';
  for (const key of ['model', 'stream'])
    if (key in body) return `Malformed input request: #: extraneous key [${key}] is not permitted`;
  if (!counting && typeof body.max_tokens !== 'number')
    return 'Malformed input request: #: required key [max_tokens] not found';
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return 'Malformed input request: #: required key [messages] not found';
  return undefined;
}

function messageOf(body: Body, context: InvokeContext): Body {
  const text = `Echo: ${lastUserText(body.messages)}`;
  const thinking =
    isRecord(body.thinking) && body.thinking.type === 'enabled'
      ? [{ type: 'thinking', thinking: 'Bedrock thinks.', signature: `sig_br${context.sequence}` }]
      : [];
  return {
    id: `msg_bdrk_${String(context.sequence).padStart(6, '0')}`,
    type: 'message',
    role: 'assistant',
    model: context.modelId.replace(/^(?:[a-z]{2}\.)?anthropic\./, '').replace(/-v\d+:\d+$/, ''),
    content: [...thinking, { type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: countTokens(JSON.stringify(body.messages)),
      output_tokens: countTokens(text),
    },
  };
}

/** The Anthropic stream events of a message, one JSON text each. */
function streamEvents(message: Body): string[] {
  const content = message.content as Body[];
  const events: Body[] = [
    { type: 'message_start', message: { ...message, content: [], stop_reason: null } },
  ];
  for (const [index, block] of content.entries()) {
    if (block.type === 'thinking') {
      events.push(
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        },
        {
          type: 'content_block_delta',
          index,
          delta: { type: 'thinking_delta', thinking: block.thinking },
        },
        {
          type: 'content_block_delta',
          index,
          delta: { type: 'signature_delta', signature: block.signature },
        },
      );
    } else {
      events.push({
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      for (const piece of splitIntoChunks(String(block.text), 3))
        events.push({
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: piece },
        });
    }
    events.push({ type: 'content_block_stop', index });
  }
  const usage = message.usage as Body;
  events.push(
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    },
    {
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': { inputTokenCount: usage.input_tokens },
    },
  );
  return events.map((event) => JSON.stringify(event));
}

function chunkFrame(json: string): Uint8Array {
  const payload = JSON.stringify({ bytes: Buffer.from(json).toString('base64') });
  return encodeEventStreamFrame(
    { ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(payload),
  );
}

export function handleInvokeModel(
  request: RecordedRequest,
  reply: InvokeReply,
  context: InvokeContext,
): void {
  const body = context.operation === 'count-tokens' ? countTokensBody(request.body) : request.body;
  const problem = problemOf(body, context.operation === 'count-tokens');
  if (problem !== undefined || !isRecord(body)) {
    validationError(reply, context.requestId, problem ?? 'Malformed input request');
    return;
  }
  if (context.operation === 'count-tokens') {
    reply.head(200, { 'content-type': 'application/json', 'x-amzn-requestid': context.requestId });
    reply.end(JSON.stringify({ inputTokens: countTokens(JSON.stringify(body.messages)) }));
    return;
  }
  const message = messageOf(body, context);
  if (context.operation === 'invoke') {
    const json = JSON.stringify(message);
    context.sent.push(json);
    reply.head(200, { 'content-type': 'application/json', 'x-amzn-requestid': context.requestId });
    reply.end(json);
    return;
  }
  const events = streamEvents(message);
  context.sent.push(events.join('\n'));
  reply.head(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': context.requestId,
    'x-amzn-bedrock-content-type': 'application/json',
  });
  reply.end(Buffer.concat(events.map(chunkFrame)));
}
