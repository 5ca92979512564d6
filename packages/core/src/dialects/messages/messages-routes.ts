// The Anthropic Messages API as a front door: `POST /v1/messages` (JSON, or SSE when the body
// says `stream: true`) and `POST /v1/messages/count_tokens`. The client's body travels to the
// targets that speak Messages natively; every other target gets the translated chat request.
import type { ChatReply } from '../../entry/chat-entry.ts';
import type { ChatRequest } from '../../spec/chat-request.ts';
import {
  JSON_HEADERS,
  readJsonBody,
  SSE_HEADERS,
  type GatewayHttpRequest,
  type GatewayHttpResponse,
  type HttpCall,
  type HttpRoute,
} from '../../http/http-route.ts';
import { chatToMessage } from './chat-to-message.ts';
import { withMember } from './json-members.ts';
import { forwardedHeaders, messagesAuthorization } from './messages-auth.ts';
import { countTokens } from './messages-count-tokens.ts';
import { messagesErrorResponse } from './messages-error.ts';
import { parseMessagesRequest } from './messages-schema.ts';
import { MESSAGES_REASONING_ORIGIN } from './messages-reasoning.ts';
import { MessagesSseEncoder } from './messages-sse.ts';
import { messagesToChat, type TranslationNotes } from './messages-to-chat.ts';

function holdsForeignReasoning(chat: ChatRequest): boolean {
  return chat.messages.some(
    (message) =>
      message.role === 'assistant' &&
      (message.reasoning ?? []).some(
        (part) =>
          (part.signature !== undefined || part.encrypted !== undefined) &&
          part.origin !== MESSAGES_REASONING_ORIGIN,
      ),
  );
}

async function createMessage(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const { entry, gateway } = call;
  const key = entry.authenticate(messagesAuthorization(request));
  const { text, json } = await readJsonBody(request, call.maxBodyBytes);
  const body = parseMessagesRequest(json);
  const limit = gateway.route(body.model)?.maxTokens;
  const { request: chat, notes } = messagesToChat(body, limit);
  const admitted = entry.admit(key, chat, {
    dialect: 'messages',
    requestId: call.requestId,
    startedAt: call.startedAt,
    signal: request.signal,
    trace: call.trace,
    strategy: request.header('x-switchyard-strategy') ?? undefined,
    pinnedProvider: request.header('x-switchyard-provider') ?? undefined,
    // Thinking another family signed (sealed when the gateway answered) would be refused by a
    // native target: such a conversation goes to every target translated, which leaves it out.
    native: holdsForeignReasoning(chat)
      ? undefined
      : {
          dialect: 'messages',
          // A max_tokens lowered to the route's limit is lowered for native targets too.
          body:
            notes.clampedFrom !== undefined
              ? withMember(text, 'max_tokens', String(chat.max_tokens))
              : text,
          headers: forwardedHeaders(request),
        },
  });
  return toMessagesReply(await entry.call(admitted), notes, body.model, call.requestId);
}

/**
 * The notes of a translation as response headers: the clamp always, the reasoning effort only
 * where the answer was translated (a native target read `thinking` itself).
 */
function noteHeaders(
  notes: TranslationNotes,
  limit: number | undefined,
  translated: boolean,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (notes.clampedFrom !== undefined && limit !== undefined)
    headers['x-switchyard-max-tokens'] = `clamped from ${notes.clampedFrom} to ${limit}`;
  if (translated && notes.reasoningEffort)
    headers['x-switchyard-thinking'] = `reasoning_effort=${notes.reasoningEffort}`;
  return headers;
}

export function toMessagesReply(
  reply: ChatReply,
  notes: TranslationNotes,
  model: string,
  requestId: string,
): GatewayHttpResponse {
  const limit =
    notes.clampedFrom !== undefined ? (reply.request.max_tokens ?? undefined) : undefined;
  const headers = { ...reply.headers, 'request-id': requestId };
  if ('response' in reply) {
    const native = reply.response.native;
    if (native?.dialect === 'messages')
      return {
        kind: 'body',
        status: reply.status,
        headers: { ...JSON_HEADERS, ...headers, ...noteHeaders(notes, limit, false) },
        body: native.body,
      };
    return {
      kind: 'body',
      status: reply.status,
      headers: { ...JSON_HEADERS, ...headers, ...noteHeaders(notes, limit, true) },
      body: JSON.stringify(chatToMessage(reply.response, reply.response.model || model, requestId)),
    };
  }
  return {
    kind: 'sse',
    status: reply.status,
    // Stream headers leave before the first event tells whether the target spoke Messages.
    headers: { ...SSE_HEADERS, ...headers, ...noteHeaders(notes, limit, true) },
    events: reply.events,
    encoder: new MessagesSseEncoder({ requestId, model: reply.model || model }),
  };
}

export const MESSAGES_ROUTES: readonly HttpRoute[] = [
  { method: 'POST', path: '/v1/messages', handle: createMessage, error: messagesErrorResponse },
  {
    method: 'POST',
    path: '/v1/messages/count_tokens',
    handle: countTokens,
    error: messagesErrorResponse,
  },
];
