// Builds the body sent to an OpenAI-compatible upstream: the client's request with `model`
// replaced, so unknown fields reach the upstream unchanged; only what a server cannot take is
// adjusted, and what would change the answer without the server honouring it is refused.
import { withoutReasoning, type ChatRequest } from '@switchyard/core';
import { unsupportedParameter } from '../shared/index.ts';

/** Request fields that change the answer and that some servers cannot honour. */
export type OpenAIAnswerChangingField = 'n' | 'logprobs' | 'top_logprobs' | 'logit_bias';

export interface OpenAIRequestCapabilities {
  /** Understands `stream_options.include_usage` (usage in streams). */
  streamUsage: boolean;
  /** Understands `max_completion_tokens`; otherwise the limit is sent as `max_tokens`. */
  maxCompletionTokens: boolean;
  /** Fetches http(s) image URLs; otherwise only `data:` URLs are accepted. */
  imageUrls: boolean;
  /** Honours `tool_choice`; otherwise `auto` is dropped, `none` drops the tools, anything else is refused. */
  toolChoice: boolean;
  /** Takes `response_format: {type: "json_object"}`; otherwise it is asked for as a JSON schema of any object. */
  jsonObject: boolean;
  unsupported: readonly OpenAIAnswerChangingField[];
}

export const FULL_OPENAI_CAPABILITIES: OpenAIRequestCapabilities = {
  streamUsage: true,
  maxCompletionTokens: true,
  imageUrls: true,
  toolChoice: true,
  jsonObject: true,
  unsupported: [],
};

/** JSON mode for servers that only take schemas: any JSON object is what json_object asks for. */
const ANY_JSON_OBJECT = {
  type: 'json_schema',
  json_schema: { name: 'json_object', schema: { type: 'object' } },
};

export interface OpenAIRequestTarget {
  provider: string;
  vendor: string;
  capabilities: OpenAIRequestCapabilities;
}

/** True when the field is set to a value that asks for something beyond the default answer. */
function asksFor(request: ChatRequest, field: OpenAIAnswerChangingField): boolean {
  switch (field) {
    case 'n':
      return (request.n ?? 1) > 1;
    case 'logprobs':
      return request.logprobs === true;
    case 'top_logprobs':
      return (request.top_logprobs ?? 0) > 0;
    case 'logit_bias':
      return (
        request.logit_bias !== null &&
        request.logit_bias !== undefined &&
        Object.keys(request.logit_bias).length > 0
      );
  }
}

function hasRemoteImage(request: ChatRequest): boolean {
  for (const message of request.messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (part.type === 'image_url' && !part.image_url.url.startsWith('data:')) return true;
    }
  }
  return false;
}

/**
 * The request body for `model`. Throws `unsupported_parameter` (before anything is sent) when the
 * request asks for something this upstream cannot do.
 */
export function convertToOpenAIRequest(
  request: ChatRequest,
  model: string,
  stream: boolean,
  target: OpenAIRequestTarget,
): Record<string, unknown> {
  const capabilities = target.capabilities;
  // An empty model leaves the choice to the server (local servers answer with the loaded model).
  const body: Record<string, unknown> = model === '' ? {} : { model };
  // A top-level null means "the default" in OpenAI's API; some servers refuse nulls, none need them.
  for (const [key, value] of Object.entries(request))
    if (value !== null && key !== 'model') body[key] = value;
  // Earlier turns' reasoning is other vendors' state; Chat Completions has no field for it.
  body.messages = withoutReasoning(request.messages);

  for (const field of capabilities.unsupported) {
    if (asksFor(request, field)) throw unsupportedParameter(target, field);
    delete body[field];
  }
  if (!capabilities.imageUrls && hasRemoteImage(request))
    throw unsupportedParameter(target, 'messages', 'image URLs; send images as data: URLs');

  if (!capabilities.toolChoice && request.tool_choice !== undefined) {
    if (request.tool_choice === 'none') {
      delete body.tools;
      delete body.parallel_tool_calls;
    } else if (request.tool_choice !== 'auto') {
      throw unsupportedParameter(target, 'tool_choice');
    }
    delete body.tool_choice;
  }

  if (!capabilities.jsonObject && request.response_format?.type === 'json_object')
    body.response_format = ANY_JSON_OBJECT;

  const maxCompletionTokens = request.max_completion_tokens;
  if (maxCompletionTokens !== undefined && maxCompletionTokens !== null) {
    // `max_completion_tokens` wins; sending both is refused by some servers.
    delete body.max_tokens;
    if (!capabilities.maxCompletionTokens) {
      delete body.max_completion_tokens;
      body.max_tokens = maxCompletionTokens;
    }
  }

  if (stream) {
    body.stream = true;
    // Usage is needed for cost even when the client did not ask; the handler drops it then.
    if (capabilities.streamUsage)
      body.stream_options = Object.assign({}, request.stream_options, { include_usage: true });
    else delete body.stream_options;
  } else {
    delete body.stream;
    delete body.stream_options;
  }
  return body;
}
