// Export: the database's configuration as a config file would say it, without credentials
// (keys appear as their hashes). Importing it back changes nothing.
import type { ConfigInput, GatewayConfig, ProviderRegistry } from '@switchyard/core';
import type { Database } from '../database.ts';
import { readConfigInput } from './config-rows.ts';
import { validateStoredConfig } from './validate-config.ts';

export async function exportConfig(db: Database): Promise<ConfigInput> {
  return readConfigInput(db.prisma);
}

/** Core's configuration built from the rows: credentials decrypted, disabled providers kept with enabled=false. */
export async function loadGatewayConfig(
  db: Database,
  definitions: ProviderRegistry,
): Promise<GatewayConfig> {
  return validateStoredConfig(db.prisma, db.secrets, definitions);
}
