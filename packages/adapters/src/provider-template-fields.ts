// Building blocks of the dashboard's "add provider" templates, shared by the vendor definitions.
import type { HealthCheckConfig, ProviderTemplateField } from '@switchyard/core';

export function apiKeyField(required: boolean, label = 'API key'): ProviderTemplateField {
  return { name: 'apiKey', label, secret: true, required };
}

export function endpointField(placeholder: string): ProviderTemplateField {
  return { name: 'endpoint', label: 'Endpoint', secret: false, required: true, placeholder };
}

/** A GET probe expecting 200, for servers with a cheap health path. */
export function probeAt(url: string): HealthCheckConfig {
  return { url, method: 'GET', expectedStatus: 200, timeout: 5000 };
}

/** The seed's cloud vendors are not local servers. */
export function cloud(): boolean {
  return false;
}
