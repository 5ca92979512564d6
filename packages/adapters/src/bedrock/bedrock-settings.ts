// The `aws` / `bedrock` provider's `config`, and the checks it needs beyond the schema: used when
// the config is parsed and again when an adapter is built, so both say the same.
import { providerSettingsSchema, type FieldIssue, type ProviderConfig } from '@switchyard/core';
import { z } from 'zod';
import { vendorHeadersSchema } from '../http/vendor-headers.ts';

export const bedrockSettingsSchema = providerSettingsSchema.extend({
  region: z.string().optional(),
  /** The AWS secret access key (the access key id is the provider's `apiKey`). */
  secretKey: z.string().optional(),
  sessionToken: z.string().optional(),
  /** `sigv4` (AWS keys, the default) or `bearer` (a Bedrock API key). */
  authMode: z.enum(['api-key', 'bearer', 'sigv4']).optional(),
  /** ListFoundationModels lives here; defaults to `https://bedrock.<region>.amazonaws.com`. */
  controlPlaneEndpoint: z.string().optional(),
  headers: vendorHeadersSchema,
});

export type BedrockSettings = z.output<typeof bedrockSettingsSchema>;

export function bedrockRuntimeEndpoint(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

export function regionFromBedrockEndpoint(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  return /bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(endpoint)?.[1];
}

/** Credentials and region a Bedrock provider needs; paths are relative to the provider. */
export function bedrockSettingsIssues(
  provider: Pick<ProviderConfig, 'apiKey' | 'endpoint'>,
  settings: BedrockSettings,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (settings.authMode === 'bearer') {
    if (!provider.apiKey)
      issues.push({ path: 'apiKey', message: 'is required: the Bedrock API key' });
  } else {
    if (!provider.apiKey)
      issues.push({
        path: 'apiKey',
        message:
          'is required: the AWS access key id (or set config.authMode to "bearer" for a Bedrock API key)',
      });
    if (!settings.secretKey)
      issues.push({ path: 'config.secretKey', message: 'is required: the AWS secret access key' });
  }
  if (!settings.region && !regionFromBedrockEndpoint(provider.endpoint))
    issues.push({
      path: 'config.region',
      message: 'is required (the endpoint does not name a region)',
    });
  return issues;
}
