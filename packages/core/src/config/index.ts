// Configuration: schema, parsing with clear errors, files, and environment loading.
export * from './config-schema.ts';
export * from './custom-format.ts';
export * from './env-config.ts';
export * from './load-config-file.ts';
export * from './parse-config.ts';
