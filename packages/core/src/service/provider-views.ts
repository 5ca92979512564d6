// What the gateway reports about one provider: its health with circuit state, and a test result.
import type { CircuitState, HealthStatus } from '../resilience/index.ts';

export interface ProviderHealthView extends HealthStatus {
  name: string;
  type: string;
  enabled: boolean;
  circuit: CircuitState;
}

export interface ProviderTestResult {
  providerId: string;
  ok: boolean;
  latencyMs?: number;
  check?: string;
  error?: string;
}
