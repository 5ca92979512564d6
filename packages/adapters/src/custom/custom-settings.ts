// The `custom` provider's `config`: the seed's `customFormat`, a declarative mapping of any HTTP
// JSON API (compiled by custom-format.ts).
import { providerSettingsSchema } from '@switchyard/core';
import { z } from 'zod';
import { vendorHeadersSchema } from '../http/vendor-headers.ts';

/** The declarative mapping of the `custom` type (the seed's `config.customFormat`). */
export const customFormatSchema = z.object({
  /** Path appended to the endpoint, or an absolute URL. Default: the endpoint itself. */
  path: z.string().optional(),
  method: z.enum(['POST', 'PUT']).default('POST'),
  authHeader: z.string().default('Authorization'),
  authPrefix: z.string().default('Bearer '),
  headers: z.record(z.string(), z.string()).optional(),
  /**
   * The request body: any JSON value whose strings may be placeholders — `{{messages}}`,
   * `{{prompt}}`, `{{system}}`, `{{model}}`, `{{max_tokens}}`, `{{temperature}}`, `{{top_p}}`,
   * `{{stop}}`, `{{stream}}`. A string that is exactly one placeholder takes the value's JSON type.
   */
  requestTemplate: z.unknown().optional(),
  response: z
    .object({
      textPath: z.string().min(1, 'must not be empty'),
      finishReasonPath: z.string().optional(),
      inputTokensPath: z.string().optional(),
      outputTokensPath: z.string().optional(),
    })
    .optional(),
  stream: z
    .object({
      framing: z.enum(['sse', 'ndjson']),
      /** Extra value added to the request body to ask for a stream, e.g. `{ "stream": true }`. */
      requestFields: z.record(z.string(), z.unknown()).optional(),
      textPath: z.string().min(1, 'must not be empty'),
      finishReasonPath: z.string().optional(),
      inputTokensPath: z.string().optional(),
      outputTokensPath: z.string().optional(),
      /** SSE data value that ends the stream, e.g. `[DONE]`. */
      doneData: z.string().optional(),
    })
    .optional(),
  /** Embeddings (`POST /v1/embeddings`): where to send the inputs and where the vectors come back. */
  embeddings: z
    .object({
      /** Path appended to the endpoint, or an absolute URL. Default: the endpoint itself. */
      path: z.string().optional(),
      /**
       * The request body, with placeholders `{{input}}` (the list of inputs) or `{{text}}` (one
       * input a call), `{{model}}`, `{{dimensions}}`, `{{user}}`. Default: OpenAI's shape.
       */
      requestTemplate: z.unknown().optional(),
      /** The list with one item per input, in input order (for one input, the vector itself). */
      vectorsPath: z.string().min(1, 'must not be empty'),
      /** Where the vector is inside each item of that list, e.g. `embedding`. */
      vectorPath: z.string().min(1, 'must not be empty').optional(),
      inputTokensPath: z.string().optional(),
      /** The most inputs one call may carry; larger requests are split and reassembled in order. */
      maxBatch: z.number().int().positive().optional(),
    })
    .optional(),
});

export type CustomFormat = z.output<typeof customFormatSchema>;

export const customSettingsSchema = providerSettingsSchema.extend({
  customFormat: customFormatSchema.optional(),
  headers: vendorHeadersSchema,
});

export type CustomSettings = z.output<typeof customSettingsSchema>;
