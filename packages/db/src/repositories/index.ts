// The typed functions applications use instead of Prisma: nothing Prisma-shaped leaves them.
import { systemClock, type Clock, type ProviderRegistry } from '@switchyard/core';
import type { Database } from '../database.ts';
import { consoleLogger, type DatabaseLogger } from '../logger.ts';
import { createAlertsRepository, type AlertsRepository } from './alerts.ts';
import { createAuditRepository, type AuditRepository } from './audit.ts';
import type { RepositoryContext } from './context.ts';
import { createHealthRepository, type HealthRepository } from './health.ts';
import { createKeysRepository, type KeysRepository } from './keys.ts';
import { createProvidersRepository, type ProvidersRepository } from './providers.ts';
import { createRequestLogsRepository, type RequestLogsRepository } from './request-logs.ts';
import { createRoutesRepository, type RoutesRepository } from './routes.ts';
import {
  createPriceCatalogueRepository,
  type PriceCatalogueRepository,
} from './price-catalogue.ts';
import { createSpendRepository, type SpendRepository } from './spend.ts';
import { createSettingsRepository, type SettingsRepository } from './settings.ts';
import {
  createSessionsRepository,
  createUsersRepository,
  type SessionsRepository,
  type UsersRepository,
} from './users.ts';

export interface Repositories {
  providers: ProvidersRepository;
  routes: RoutesRepository;
  keys: KeysRepository;
  settings: SettingsRepository;
  users: UsersRepository;
  sessions: SessionsRepository;
  audit: AuditRepository;
  health: HealthRepository;
  requestLogs: RequestLogsRepository;
  prices: PriceCatalogueRepository;
  spend: SpendRepository;
  alerts: AlertsRepository;
}

export interface RepositoryOptions {
  /** Time for expiry, lastUsedAt, month-to-date spend and stats; the system clock by default. */
  clock?: Clock;
  logger?: DatabaseLogger;
  /** The provider types the application knows (the adapters' definitions). */
  definitions: ProviderRegistry;
}

export function createRepositories(db: Database, options: RepositoryOptions): Repositories {
  const context: RepositoryContext = {
    db,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? consoleLogger,
    definitions: options.definitions,
  };
  return {
    providers: createProvidersRepository(context),
    routes: createRoutesRepository(context),
    keys: createKeysRepository(context),
    settings: createSettingsRepository(context),
    users: createUsersRepository(context),
    sessions: createSessionsRepository(context),
    audit: createAuditRepository(db.prisma),
    health: createHealthRepository(db.prisma),
    requestLogs: createRequestLogsRepository(db.prisma, context.clock),
    prices: createPriceCatalogueRepository(context),
    spend: createSpendRepository(db.prisma),
    alerts: createAlertsRepository(context),
  };
}
