// Which state store the environment asks for: REDIS_CLUSTER_NODES (a Redis Cluster), REDIS_URL
// (one Redis), or neither (memory, single instance). Read once at start-up.
import type { RedisTarget } from './redis-state.ts';

export interface StateStoreChoice {
  target: RedisTarget | undefined;
  /** Said in the start-up log beside the store in use. */
  note?: string;
}

export type Environment = Record<string, string | undefined>;

export function chooseStateStore(environment: Environment): StateStoreChoice {
  const url = environment.REDIS_URL?.trim() || undefined;
  const nodes = environment.REDIS_CLUSTER_NODES?.split(',')
    .map((node) => node.trim())
    .filter((node) => node.length > 0);
  if (nodes !== undefined && nodes.length > 0) {
    for (const node of nodes) checkRedisUrl('REDIS_CLUSTER_NODES', node);
    return {
      target: { kind: 'cluster', nodes },
      ...(url
        ? { note: 'REDIS_CLUSTER_NODES and REDIS_URL are both set: the cluster is used' }
        : {}),
    };
  }
  if (url === undefined) return { target: undefined };
  checkRedisUrl('REDIS_URL', url);
  return { target: { kind: 'redis', url } };
}

function checkRedisUrl(variable: string, value: string): void {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new Error(`${variable} is not a URL: expected redis://host:port (or rediss://)`);
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    throw new Error(`${variable} must start with redis:// or rediss://, not ${protocol}//`);
}
