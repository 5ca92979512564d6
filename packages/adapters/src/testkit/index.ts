// Mock vendor servers for tests and benchmarks.
export * from './mock-server.ts';
