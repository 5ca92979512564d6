// The seed's three services wired together: one engine (core's InferenceService over the
// adapters' definitions) fed by the CloudConfigService, with the CloudInferenceService on the same
// engine. `createSeedServices` makes fresh ones; the exported singletons are made on first use.
import { defaultDefinitions } from '@switchyard/adapters';
import { createInferenceService, type InferenceService } from '@switchyard/core';
import { CloudConfigService } from './cloud-config-service.ts';
import { CloudInferenceService } from './cloud-inference-service.ts';
import { attachDebugLog } from './debug-log.ts';
import { configFilePath, processEnvironment, type Environment } from './env.ts';

export interface SeedServicesOptions {
  /** The variables to read (default: the process environment; `{}` means none at all). */
  env?: Environment;
  /** The config file (default: `SWITCHYARD_CONFIG_FILE`, else `.switchyard/cloud-config.json`). */
  configFile?: string;
}

export interface SeedServices {
  inferenceService: InferenceService;
  cloudConfigService: CloudConfigService;
  cloudInferenceService: CloudInferenceService;
  /** Stops health checks and closes connections. */
  close(): Promise<void>;
}

export function createSeedServices(options: SeedServicesOptions = {}): SeedServices {
  const env = options.env ?? processEnvironment();
  const cloudConfigService = new CloudConfigService({
    env,
    configFile: options.configFile ?? configFilePath(env),
    registry: defaultDefinitions,
  });
  const inferenceService = createInferenceService({
    config: cloudConfigService.getConfig(),
    adapters: defaultDefinitions,
  });
  // Every saved change reaches the running engine at once (unchanged providers keep their state).
  cloudConfigService.onChange((config) => inferenceService.updateConfig(config));
  const cloudInferenceService = new CloudInferenceService(
    inferenceService.gateway,
    cloudConfigService,
  );
  attachDebugLog(inferenceService.gateway.events, env);
  return {
    inferenceService,
    cloudConfigService,
    cloudInferenceService,
    close: () => inferenceService.close(),
  };
}

let shared: SeedServices | undefined;

function sharedServices(): SeedServices {
  shared ??= createSeedServices();
  return shared;
}

/**
 * A stand-in that creates the shared services on its first property access, so importing the
 * package reads no environment and no file. Methods are bound to the real service.
 */
function lazyService<T extends object>(pick: (services: SeedServices) => T): T {
  const target = () => pick(sharedServices());
  return new Proxy({} as T, {
    get(_stub, property) {
      const service = target();
      const value: unknown = Reflect.get(service, property, service);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(service)
        : value;
    },
    set(_stub, property, value) {
      return Reflect.set(target(), property, value);
    },
    has(_stub, property) {
      return Reflect.has(target(), property);
    },
    getPrototypeOf() {
      return Reflect.getPrototypeOf(target());
    },
  });
}

/** The seed's InferenceServiceFactory instance: `switchProvider`, `chatCompletion`, `setConfig`, `getHealthStatus`, … */
export const inferenceService: InferenceService = lazyService(
  (services) => services.inferenceService,
);

/** The seed's cloudConfigService: providers, options, templates, validation, persistence. */
export const cloudConfigService: CloudConfigService = lazyService(
  (services) => services.cloudConfigService,
);

/** The seed's cloudInferenceService: cloud-only completions, health array, provider tests. */
export const cloudInferenceService: CloudInferenceService = lazyService(
  (services) => services.cloudInferenceService,
);
