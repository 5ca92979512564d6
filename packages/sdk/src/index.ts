// @switchyard/sdk: the seed document's library API. `inferenceService`, `cloudConfigService` and
// `cloudInferenceService` are ready to import (made on first use from the environment and
// `.switchyard/cloud-config.json`); `createSeedServices` makes fresh ones. Every public name is
// listed here.
export {
  CloudConfigService,
  LM_STUDIO_PROVIDER_ID,
  type CloudConfigServiceOptions,
  type ConfigListener,
} from './cloud-config-service.ts';
export { CloudInferenceService, type CloudCallOptions } from './cloud-inference-service.ts';
export {
  cloudConfigService,
  cloudInferenceService,
  createSeedServices,
  inferenceService,
  type SeedServices,
  type SeedServicesOptions,
} from './seed-services.ts';
export { DEFAULT_CONFIG_FILE, DEFAULT_LM_STUDIO_URL } from './env.ts';
export type {
  ChatCompletionRequest,
  CloudConfig,
  CloudConfigSettings,
  CloudProvider,
  ConfigValidation,
  HealthCheck,
  LoadBalancingStrategy,
  ProviderHealthStatus,
} from './seed-types.ts';
export {
  ConfigError,
  GatewayError,
  InferenceService,
  ProviderTestError,
  type ChatCompletionResult,
  type ProviderHealth,
  type ProviderSelection,
  type ProviderTemplate,
  type ServiceConfig,
  type StreamEvent,
} from '@switchyard/core';
