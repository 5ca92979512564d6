// Reads a YAML or JSON config file and validates it.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.ts';
import type { Environment } from './environment.ts';
import { parseConfig } from './parse-config.ts';
import type { ProviderRegistry } from '../spec/provider-definition.ts';
import type { GatewayConfig } from './config-schema.ts';

export async function loadConfigFile(
  path: string,
  registry: ProviderRegistry,
  env: Environment = {},
): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      [{ path: '', message: `cannot read ${path}: ${(error as Error).message}` }],
      path,
    );
  }
  return parseConfig(parseConfigText(text, path), registry, { env, source: path });
}

/** Parses config file text: JSON for `.json` files, YAML (a superset of JSON) otherwise. */
export function parseConfigText(text: string, path = 'config'): unknown {
  try {
    return path.endsWith('.json') ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
  } catch (error) {
    throw new ConfigError(
      [
        {
          path: '',
          message: `not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
        },
      ],
      path,
    );
  }
}
