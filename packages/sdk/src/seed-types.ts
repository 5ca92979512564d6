// The seed document's type names, as the SDK's services take and return them. They are core's
// config and request types under the seed's names, so a seed object literal type-checks as written.
import type { ChatRequest, HealthCheckConfig, ProviderInput, Strategy } from '@switchyard/core';

/** One provider as the seed writes it (`openai`, `azure`, `aws`, `gcp`, `custom` and every other registered type). */
export type CloudProvider = ProviderInput;

export type LoadBalancingStrategy = Strategy;

/** The seed's custom health check: a path on the provider (or an absolute URL), method, status and timeout. */
export type HealthCheck = Partial<HealthCheckConfig> & Pick<HealthCheckConfig, 'url'>;

/** The seed's CloudConfig: the providers plus the global options, as the config file holds it. */
export interface CloudConfig {
  providers: CloudProvider[];
  loadBalancing: LoadBalancingStrategy;
  retryAttempts: number;
  retryDelay: number;
  timeout: number;
  enableHealthMonitoring: boolean;
  healthCheckInterval: number;
  healthCheck?: HealthCheck;
}

/** The global options of a CloudConfig, any of which a change may set. */
export type CloudConfigSettings = Partial<Omit<CloudConfig, 'providers'>>;

/** The seed's per-provider health, as `cloudInferenceService.getHealthStatus()` lists it. */
export interface ProviderHealthStatus {
  providerId: string;
  isHealthy: boolean;
  responseTime?: number;
  error?: string;
  lastChecked?: Date;
}

/** What `validate` answers: every problem, each naming its field. */
export interface ConfigValidation {
  isValid: boolean;
  errors: string[];
}

export type ChatCompletionRequest = ChatRequest;
