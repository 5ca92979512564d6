// Starts a file-mode gateway on 127.0.0.1 for tests.
import { defaultDefinitions } from '@switchyard/adapters';
import { parseConfig, type ConfigInput } from '@switchyard/core';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { startGatewayServer, type GatewayServer, type ServerLimits } from '../server.ts';

export interface TestGateway {
  runtime: GatewayRuntime;
  server: GatewayServer;
  url: string;
  close(): Promise<void>;
}

export async function startTestGateway(
  config: ConfigInput,
  limits: Partial<ServerLimits> = {},
): Promise<TestGateway> {
  const runtime = await createGatewayRuntime({
    config: parseConfig(config, defaultDefinitions),
    monitorHealth: false,
    // State in memory even where REDIS_URL is set (CI): tests must not share limits or cache.
    environment: {},
  });
  const server = await startGatewayServer(runtime, { port: 0, host: '127.0.0.1', limits });
  return {
    runtime,
    server,
    url: server.url,
    close: async () => {
      await server.shutdown(1000);
      await runtime.close();
    },
  };
}
