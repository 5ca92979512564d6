// The `cohere` provider's `config`.
import { providerSettingsSchema } from '@switchyard/core';
import type { z } from 'zod';
import { vendorHeadersSchema } from '../http/vendor-headers.ts';

export const COHERE_DEFAULT_ENDPOINT = 'https://api.cohere.com';

export const cohereSettingsSchema = providerSettingsSchema.extend({ headers: vendorHeadersSchema });

export type CohereSettings = z.output<typeof cohereSettingsSchema>;
