// The `anthropic` provider's `config`.
import { providerSettingsSchema } from '@switchyard/core';
import { z } from 'zod';
import { vendorHeadersSchema } from '../http/vendor-headers.ts';

export const ANTHROPIC_DEFAULT_ENDPOINT = 'https://api.anthropic.com';

export const anthropicSettingsSchema = providerSettingsSchema.extend({
  anthropicVersion: z.string().optional(),
  /** max_tokens when a request names none (Anthropic requires one). */
  defaultMaxTokens: z.number().int().positive().optional(),
  headers: vendorHeadersSchema,
});

export type AnthropicSettings = z.output<typeof anthropicSettingsSchema>;
