// Test support for packages that use the database.
export * from './recording-logger.ts';
export * from './test-database.ts';
