// Configuration: schema, parsing with clear errors, files, environment loading and the registry
// of provider definitions it validates against.
export * from './config-error.ts';
export * from './config-schema.ts';
export * from './environment.ts';
export * from './load-config-file.ts';
export * from './parse-config.ts';
export * from './provider-registry.ts';
