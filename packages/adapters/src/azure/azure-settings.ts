// The `azure` provider's `config`.
import { providerSettingsSchema } from '@switchyard/core';
import { z } from 'zod';
import { vendorHeadersSchema } from '../http/vendor-headers.ts';

export const azureSettingsSchema = providerSettingsSchema.extend({
  apiVersion: z.string().optional(),
  /** The deployment used when no model mapping applies. */
  deployment: z.string().optional(),
  /** `deployments` (classic URLs) or `v1` (`/openai/v1/`). */
  azureApiStyle: z.enum(['deployments', 'v1']).optional(),
  /** How the API key is sent: Azure's `api-key` header, or a bearer token (Entra ID). */
  authMode: z.enum(['api-key', 'bearer', 'sigv4']).optional(),
  headers: vendorHeadersSchema,
});

export type AzureSettings = z.output<typeof azureSettingsSchema>;
