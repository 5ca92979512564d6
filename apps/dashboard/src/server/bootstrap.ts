// First run: the admin account from the environment, and the seed's defaults in an empty
// database — an "LM Studio (local)" provider, the cloud providers named by the seed's
// environment variables, and a default route over all of them (LM Studio first, cloud after).
import { providersFromEnv, type ProviderInput, type ProviderRegistry } from '@switchyard/core';
import type { Actor, Repositories } from '@switchyard/db';
import { env, processEnvironment, type DashboardEnv } from '../env.ts';

const SYSTEM: Actor = { via: 'system' };

export const DEFAULT_ROUTE = 'default';

export const LM_STUDIO_PROVIDER: ProviderInput = {
  id: 'lm-studio',
  name: 'LM Studio (local)',
  type: 'lmstudio',
  endpoint: 'http://127.0.0.1:1234',
  priority: 0,
  enabled: true,
};

export async function bootstrap(
  repositories: Repositories,
  definitions: ProviderRegistry,
  settings: Pick<
    DashboardEnv,
    'SWITCHYARD_ADMIN_EMAIL' | 'SWITCHYARD_ADMIN_PASSWORD' | 'SWITCHYARD_SEED_DEFAULTS'
  > = env(),
): Promise<void> {
  // Defaults first: the admin's own audit entry would make the database look configured.
  if (settings.SWITCHYARD_SEED_DEFAULTS) await seedDefaults(repositories, definitions);
  if (
    settings.SWITCHYARD_ADMIN_EMAIL &&
    settings.SWITCHYARD_ADMIN_PASSWORD &&
    (await repositories.users.count()) === 0
  )
    await repositories.users.createFirstAdmin(
      { email: settings.SWITCHYARD_ADMIN_EMAIL, password: settings.SWITCHYARD_ADMIN_PASSWORD },
      SYSTEM,
    );
}

/** Seeds only a database nobody has configured yet: no providers, no routes, no audit entries. */
export async function seedDefaults(
  repositories: Repositories,
  definitions: ProviderRegistry,
): Promise<boolean> {
  const [providers, routes, audit] = await Promise.all([
    repositories.providers.list(),
    repositories.routes.list(),
    repositories.audit.list({ limit: 1 }),
  ]);
  if (providers.length > 0 || routes.length > 0 || audit.items.length > 0) return false;
  await repositories.providers.create(LM_STUDIO_PROVIDER, SYSTEM);
  for (const provider of providersFromEnv(processEnvironment(), definitions))
    await repositories.providers.create(provider, SYSTEM);
  // No targets: every enabled provider, in priority order, so the local server answers first
  // and the cloud providers take over when it is down.
  await repositories.routes.upsert(
    { name: DEFAULT_ROUTE, strategy: 'priority', targets: [], fallbacks: [] },
    SYSTEM,
  );
  await repositories.settings.update({ defaultRoute: DEFAULT_ROUTE }, SYSTEM);
  return true;
}
