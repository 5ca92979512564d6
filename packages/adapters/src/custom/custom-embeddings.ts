// Embeddings at a custom endpoint, described by `customFormat.embeddings`: the inputs rendered
// into the mapping's body (all of a batch as `{{input}}`, or one a call as `{{text}}`), the
// vectors and the token count read back through its paths. Batches past `maxBatch` are split and
// reassembled in order; without a token count the usage is counted and marked estimated.
import {
  isTokenInput,
  type EmbeddingCall,
  type EmbeddingInput,
  type EmbeddingResponse,
} from '@switchyard/core';
import { callJson, type ErrorParser } from '../http/index.ts';
import { embedInBatches, isVector, type EmbeddedBatch } from '../shared/embed-batches.ts';
import { protocolError, unsupportedParameter, type VendorLabel } from '../shared/index.ts';
import {
  readJsonPath,
  renderTemplate,
  type CompiledEmbeddingsFormat,
  type CustomTemplateValues,
  type EmbeddingPlaceholder,
} from './custom-format.ts';
import { readNumber } from './map-custom-response.ts';

export interface CustomEmbeddingsSettings {
  provider: string;
  url: string;
  method: 'POST' | 'PUT';
  headers: Readonly<Record<string, string>>;
  format: CompiledEmbeddingsFormat;
  parseError: ErrorParser;
}

export function createCustomEmbed(
  settings: CustomEmbeddingsSettings,
): (call: EmbeddingCall) => Promise<EmbeddingResponse> {
  const source = {
    provider: settings.provider,
    vendor: `The custom endpoint ${settings.provider}`,
  };
  return async (call) => {
    refuseUntemplated(call, settings.format, source);
    return await embedInBatches({
      inputs: call.request.inputs,
      maxBatch: settings.format.maxBatch,
      model: call.model,
      callBatch: (inputs) => embedBatch(settings, call, inputs),
    });
  };
}

/** What the template has no place for and would change the vectors is refused before sending. */
function refuseUntemplated(
  call: EmbeddingCall,
  format: CompiledEmbeddingsFormat,
  source: VendorLabel,
): void {
  if (!format.template) return;
  if (call.request.dimensions !== undefined && !format.placeholders.has('dimensions'))
    throw unsupportedParameter(source, 'dimensions', 'the template has no {{dimensions}}');
  if (format.placeholders.has('text') && call.request.inputs.some(isTokenInput))
    throw unsupportedParameter(source, 'input', 'token ids; the template sends {{text}}');
}

/** The body of one call: the rendered template, or OpenAI's embeddings request. */
export function customEmbeddingsBody(
  format: CompiledEmbeddingsFormat,
  call: EmbeddingCall,
  inputs: readonly EmbeddingInput[],
): unknown {
  const { request } = call;
  if (!format.template)
    return {
      model: call.model,
      input: inputs,
      ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
      ...(request.user !== undefined ? { user: request.user } : {}),
    };
  const values: CustomTemplateValues<EmbeddingPlaceholder> = { model: call.model };
  if (format.placeholders.has('input')) values.input = inputs;
  if (format.placeholders.has('text')) values.text = inputs[0];
  if (request.dimensions !== undefined) values.dimensions = request.dimensions;
  if (request.user !== undefined) values.user = request.user;
  return renderTemplate(format.template, values);
}

async function embedBatch(
  settings: CustomEmbeddingsSettings,
  call: EmbeddingCall,
  inputs: EmbeddingInput[],
): Promise<EmbeddedBatch> {
  return await callJson({
    request: {
      url: settings.url,
      method: settings.method,
      headers: settings.headers,
      body: JSON.stringify(customEmbeddingsBody(settings.format, call, inputs)),
      signal: call.options.signal,
      deadline: call.options.deadline,
      provider: settings.provider,
    },
    parseError: settings.parseError,
    parse: (body, response) => readCustomEmbeddings(body, inputs.length, settings, response.status),
  });
}

/** The vectors of one answer, read through the mapping's paths, one per input in order. */
export function readCustomEmbeddings(
  body: unknown,
  expected: number,
  settings: Pick<CustomEmbeddingsSettings, 'provider' | 'format'>,
  status?: number,
): EmbeddedBatch {
  const { provider, format } = settings;
  if (body === undefined)
    throw protocolError(provider, `${provider}: the answer is not JSON`, status);
  const found = readJsonPath(body, format.vectors);
  if (!Array.isArray(found))
    throw protocolError(
      provider,
      `${provider}: the answer has no list at the configured vectors path`,
      status,
    );
  // an API that embeds one input a call may answer the vector itself rather than a list of one
  const items: unknown[] =
    expected === 1 && !format.vector && found.length > 0 && isVector(found) ? [found] : found;
  const vectors = items.map((item, index) => {
    const vector = format.vector ? readJsonPath(item, format.vector) : item;
    if (!isVector(vector))
      throw protocolError(
        provider,
        `${provider}: item ${index} of the answer is not a vector`,
        status,
      );
    return vector;
  });
  if (vectors.length !== expected)
    throw protocolError(
      provider,
      `${provider}: ${vectors.length} vectors for ${expected} inputs`,
      status,
    );
  return { vectors, inputTokens: readNumber(body, format.inputTokens) };
}
