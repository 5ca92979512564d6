// Azure OpenAI: the OpenAI adapter with Azure's URLs (deployment in the path and a dated
// `api-version`, or the OpenAI-identical `/openai/v1/` API) and Azure's auth header.
import { ConfigError, type ProviderAdapter, type ProviderConfig } from '@switchyard/core';
import { createOpenAIChatModel, FULL_OPENAI_CAPABILITIES } from '../openai/index.ts';
import { OPENAI_COMPLETION_MODELS } from '../openai/openai-completions.ts';
import { azureSettingsSchema, type AzureSettings } from './azure-settings.ts';

/** The latest GA dated API version. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

/** `stream_options` exists from this API version on; older versions refuse it as an unrecognized argument. */
const STREAM_USAGE_SINCE = '2024-09-01';

export interface AzureUrls {
  chatUrl: (deployment: string) => string;
  /** The Responses API, which Azure serves on its v1 API only (the model names the deployment). */
  responsesUrl: string;
  modelsUrl: string;
  probeCheck: string;
  /** Whether this API accepts `stream_options.include_usage`. */
  streamUsage: boolean;
}

/** The resource's base URL, accepting endpoints written with a trailing `/openai` or `/openai/v1`. */
function resourceUrl(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/openai(\/v1)?$/, '');
}

export function azureUrls(
  provider: ProviderConfig,
  settings: AzureSettings = azureSettingsSchema.parse(provider.config ?? {}),
): AzureUrls {
  if (!provider.endpoint)
    throw new ConfigError([
      {
        path: 'endpoint',
        message: 'is required for type azure (https://<resource>.openai.azure.com)',
      },
    ]);
  const base = resourceUrl(provider.endpoint);
  if (settings.azureApiStyle === 'v1') {
    const query = settings.apiVersion
      ? `?api-version=${encodeURIComponent(settings.apiVersion)}`
      : '';
    return {
      chatUrl: () => `${base}/openai/v1/chat/completions${query}`,
      responsesUrl: `${base}/openai/v1/responses${query}`,
      modelsUrl: `${base}/openai/v1/models${query}`,
      probeCheck: 'GET /openai/v1/models',
      streamUsage: true,
    };
  }
  const apiVersion = settings.apiVersion ?? AZURE_DEFAULT_API_VERSION;
  const query = `?api-version=${encodeURIComponent(apiVersion)}`;
  const fallbackDeployment = settings.deployment;
  return {
    chatUrl: (deployment) =>
      `${base}/openai/deployments/${encodeURIComponent(deployment || fallbackDeployment || '')}/chat/completions${query}`,
    modelsUrl: `${base}/openai/models${query}`,
    responsesUrl: `${base}/openai/v1/responses`,
    probeCheck: 'GET /openai/models',
    streamUsage: apiVersion.slice(0, 10) >= STREAM_USAGE_SINCE,
  };
}

function azureAuthHeaders(
  provider: ProviderConfig,
  settings: AzureSettings,
): Record<string, string> {
  if (!provider.apiKey) return {};
  // Entra ID tokens go in Authorization; resource keys in Azure's own header.
  return settings.authMode === 'bearer'
    ? { authorization: `Bearer ${provider.apiKey}` }
    : { 'api-key': provider.apiKey };
}

export function createAzureAdapter(
  provider: ProviderConfig,
  settings: AzureSettings = azureSettingsSchema.parse(provider.config ?? {}),
): ProviderAdapter {
  const urls = azureUrls(provider, settings);
  return createOpenAIChatModel({
    provider,
    vendor: 'Azure OpenAI',
    chatUrl: urls.chatUrl,
    modelsUrl: urls.modelsUrl,
    probe: { url: urls.modelsUrl, check: urls.probeCheck },
    headers: { ...azureAuthHeaders(provider, settings), ...settings.headers },
    capabilities: { ...FULL_OPENAI_CAPABILITIES, streamUsage: urls.streamUsage },
    responsesUrl: urls.responsesUrl,
    legacyCompletions: (deployment) => OPENAI_COMPLETION_MODELS.test(deployment),
  });
}
