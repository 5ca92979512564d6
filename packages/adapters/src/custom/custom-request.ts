// The body sent to a custom endpoint: the compiled request template rendered with the request's
// values, or the OpenAI-shaped request when the mapping has no template. What the mapping cannot
// carry (tools, several choices, log probabilities …) is refused before sending.
import { requestedMaxTokens, type ChatRequest } from '@switchyard/core';
import {
  renderTemplate,
  type CompiledCustomFormat,
  type CustomTemplateValues,
} from './custom-format.ts';
import { flattenPrompt, systemText } from './convert-to-custom-prompt.ts';
import { customUnsupported } from './custom-error.ts';

function refuseCommon(request: ChatRequest, provider: string): void {
  // answers are read through text paths only: tool calls could not come back
  if ((request.tools?.length ?? 0) > 0 && request.tool_choice !== 'none')
    throw customUnsupported('tools', provider);
  if (request.n != null && request.n > 1) throw customUnsupported('n', provider, 'n > 1');
}

/** Fields a template has no placeholder for; they would change the answer, so they cannot be dropped. */
function refuseUntemplated(
  request: ChatRequest,
  format: CompiledCustomFormat,
  provider: string,
): void {
  if (request.logprobs) throw customUnsupported('logprobs', provider);
  if (request.top_logprobs) throw customUnsupported('top_logprobs', provider);
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0)
    throw customUnsupported('logit_bias', provider);
  if (request.response_format && request.response_format.type !== 'text')
    throw customUnsupported('response_format', provider);
  if (request.seed != null) throw customUnsupported('seed', provider);
  if (request.presence_penalty) throw customUnsupported('presence_penalty', provider);
  if (request.frequency_penalty) throw customUnsupported('frequency_penalty', provider);
  if (!format.placeholders.has('messages')) {
    request.messages.forEach((message, index) => {
      if (Array.isArray(message.content) && message.content.some((part) => part.type !== 'text'))
        throw customUnsupported(
          `messages[${index}].content`,
          provider,
          'non-text content (the template sends text only)',
        );
    });
  }
}

function templateValues(
  request: ChatRequest,
  format: CompiledCustomFormat,
  model: string,
  stream: boolean,
): CustomTemplateValues {
  const uses = format.placeholders;
  const values: CustomTemplateValues = { model, stream };
  if (uses.has('messages')) values.messages = request.messages;
  if (uses.has('prompt')) values.prompt = flattenPrompt(request.messages, !uses.has('system'));
  if (uses.has('system')) values.system = systemText(request.messages);
  const maxTokens = requestedMaxTokens(request);
  if (maxTokens !== undefined) values.max_tokens = maxTokens;
  if (request.temperature != null) values.temperature = request.temperature;
  if (request.top_p != null) values.top_p = request.top_p;
  if (request.stop != null)
    values.stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  return values;
}

export function toCustomBody(
  format: CompiledCustomFormat,
  request: ChatRequest,
  model: string,
  stream: boolean,
  provider: string,
): unknown {
  refuseCommon(request, provider);
  let body: unknown;
  if (format.template) {
    refuseUntemplated(request, format, provider);
    body = renderTemplate(format.template, templateValues(request, format, model, stream));
  } else {
    const { stream_options: _streamOptions, ...rest } = request;
    body = { ...rest, model, stream };
  }
  if (
    stream &&
    format.stream?.requestFields &&
    body !== null &&
    typeof body === 'object' &&
    !Array.isArray(body)
  ) {
    body = { ...body, ...format.stream.requestFields };
  }
  return body;
}
