// The `openai` provider's `config`.
import { providerSettingsSchema } from '@switchyard/core';
import { z } from 'zod';
import { vendorHeadersSchema } from '../http/vendor-headers.ts';

export const OPENAI_DEFAULT_ENDPOINT = 'https://api.openai.com';

export const openAISettingsSchema = providerSettingsSchema.extend({
  organization: z.string().optional(),
  project: z.string().optional(),
  headers: vendorHeadersSchema,
});

export type OpenAISettings = z.output<typeof openAISettingsSchema>;
