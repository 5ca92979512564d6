// The body sent to a custom endpoint: the compiled request template rendered with the request's
// values, or the OpenAI-shaped request when the mapping has no template. What the mapping cannot
// carry (tools, several choices, log probabilities …) is refused before sending.
import { requestedMaxTokens, withoutReasoning, type ChatRequest } from '@switchyard/core';
import {
  renderTemplate,
  type CompiledCustomFormat,
  type CustomTemplateValues,
} from './custom-format.ts';
import { flattenPrompt, systemText } from './convert-to-custom-prompt.ts';
import { unsupportedParameter, type VendorLabel } from '../shared/index.ts';

function refuseCommon(request: ChatRequest, source: VendorLabel): void {
  // answers are read through text paths only: tool calls could not come back
  if ((request.tools?.length ?? 0) > 0 && request.tool_choice !== 'none')
    throw unsupportedParameter(source, 'tools');
  if (request.n != null && request.n > 1)
    throw unsupportedParameter(source, 'n', 'more than one choice');
}

/** Fields a template has no placeholder for; they would change the answer, so they cannot be dropped. */
function refuseUntemplated(
  request: ChatRequest,
  format: CompiledCustomFormat,
  source: VendorLabel,
): void {
  if (request.logprobs) throw unsupportedParameter(source, 'logprobs');
  if (request.top_logprobs) throw unsupportedParameter(source, 'top_logprobs');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0)
    throw unsupportedParameter(source, 'logit_bias');
  if (request.response_format && request.response_format.type !== 'text')
    throw unsupportedParameter(source, 'response_format');
  if (request.seed != null) throw unsupportedParameter(source, 'seed');
  if (request.presence_penalty) throw unsupportedParameter(source, 'presence_penalty');
  if (request.frequency_penalty) throw unsupportedParameter(source, 'frequency_penalty');
  if (!format.placeholders.has('messages')) {
    request.messages.forEach((message, index) => {
      if (Array.isArray(message.content) && message.content.some((part) => part.type !== 'text'))
        throw unsupportedParameter(
          source,
          `messages[${index}].content`,
          'non-text content; the template sends text only',
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
  if (uses.has('messages')) values.messages = withoutReasoning(request.messages);
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

export interface CustomRequestTarget {
  provider: string;
  format: CompiledCustomFormat;
}

export function convertToCustomRequest(
  request: ChatRequest,
  model: string,
  stream: boolean,
  target: CustomRequestTarget,
): unknown {
  const { format } = target;
  const source = { provider: target.provider, vendor: `The custom endpoint ${target.provider}` };
  refuseCommon(request, source);
  let body: unknown;
  if (format.template) {
    refuseUntemplated(request, format, source);
    body = renderTemplate(format.template, templateValues(request, format, model, stream));
  } else {
    const { stream_options: _streamOptions, ...rest } = request;
    body = { ...rest, messages: withoutReasoning(request.messages), model, stream };
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
