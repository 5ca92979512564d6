// Every configuration write ends by validating the whole configuration the rows now describe,
// inside the same transaction: the database never holds a config the gateway would refuse.
import {
  ConfigError,
  parseConfig,
  type ConfigInput,
  type FieldIssue,
  type GatewayConfig,
  type ProviderRegistry,
} from '@switchyard/core';
import type { DbClient } from '../repositories/db-client.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { readConfigInput } from './config-rows.ts';

/** `providers[2].apiKey` → `provider "aws".apiKey`: indexes into the stored list mean nothing to the caller. */
export function nameIssues(issues: readonly FieldIssue[], input: ConfigInput): FieldIssue[] {
  return issues.map((issue) => {
    const path = issue.path
      .replace(/^providers\[(\d+)\]/, (whole, index: string) => {
        const id = input.providers?.[Number(index)]?.id;
        return id === undefined ? whole : `provider "${id}"`;
      })
      .replace(/^routes\[(\d+)\]/, (whole, index: string) => {
        const name = input.routes?.[Number(index)]?.name;
        return name === undefined ? whole : `route "${name}"`;
      })
      .replace(/^keys\[(\d+)\]/, (whole, index: string) => {
        const key = input.keys?.[Number(index)];
        return key === undefined ? whole : `key "${key.name}"`;
      });
    return { path, message: issue.message };
  });
}

export async function validateStoredConfig(
  client: DbClient,
  secrets: SecretBox,
  definitions: ProviderRegistry,
): Promise<GatewayConfig> {
  const input = await readConfigInput(client, secrets);
  try {
    return parseConfig(input, definitions);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(nameIssues(error.issues, input));
    throw error;
  }
}
