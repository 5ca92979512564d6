// The `config` of local and self-hosted OpenAI-compatible servers.
import { providerSettingsSchema } from '@switchyard/core';
import type { z } from 'zod';
import { vendorHeadersSchema } from '../http/vendor-headers.ts';

export const openAICompatibleSettingsSchema = providerSettingsSchema.extend({
  headers: vendorHeadersSchema,
});

export type OpenAICompatibleSettings = z.output<typeof openAICompatibleSettingsSchema>;
