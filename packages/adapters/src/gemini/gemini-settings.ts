// The `gcp` / `gemini` provider's `config`.
import { providerSettingsSchema } from '@switchyard/core';
import { z } from 'zod';
import { vendorHeadersSchema } from '../http/vendor-headers.ts';

export const GEMINI_DEFAULT_ENDPOINT = 'https://generativelanguage.googleapis.com';

export const geminiSettingsSchema = providerSettingsSchema.extend({
  projectId: z.string().optional(),
  headers: vendorHeadersSchema,
});

export type GeminiSettings = z.output<typeof geminiSettingsSchema>;
