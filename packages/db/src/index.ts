// @switchyard/db: Switchyard's persistence. Open the database (Postgres with DATABASE_URL,
// otherwise the embedded PGlite), then use the repositories; the loader turns rows into core's
// config, and change notifications tell running gateways to reload.
export { openDatabase, resolveHome, type Database, type DatabaseOptions } from './database.ts';
export { EnvError } from './env.ts';
export { consoleLogger, silentLogger, type DatabaseLogger } from './logger.ts';
export { EmbeddedDatabaseLockedError } from './embedded/lock-file.ts';
export { MigrationError } from './migrate/apply-migrations.ts';
export { SecretKeyError, generateSecretKey, type SecretBox } from './secrets/secret-box.ts';
export { rotateSecretKey, type RotationResult } from './secrets/rotate-secret-key.ts';
export {
  CHANGE_TOPICS,
  type ChangeListener,
  type ChangeNotifier,
  type ChangeTopic,
} from './changes/change-notifier.ts';
export { ConflictError, NotFoundError, ValidationError } from './errors.ts';

export {
  createRepositories,
  type Repositories,
  type RepositoryOptions,
} from './repositories/index.ts';
export type {
  Actor,
  ActorVia,
  AuditEntity,
  AuditListFilter,
  AuditRecord,
  AuditRepository,
} from './repositories/audit.ts';
export type {
  ProviderPatch,
  ProviderRecord,
  ProvidersRepository,
} from './repositories/providers.ts';
export type { RouteInput, RouteRecord, RoutesRepository } from './repositories/routes.ts';
export type {
  ActiveKey,
  ApiKeyCreateInput,
  ApiKeyRecord,
  ApiKeyUpdateInput,
  KeysRepository,
  KeyUsage,
} from './repositories/keys.ts';
export {
  DEFAULT_PROVIDER_KEYWORDS,
  type SettingsPatch,
  type SettingsRecord,
  type SettingsRepository,
} from './repositories/settings.ts';
export {
  MIN_PASSWORD_LENGTH,
  type SessionsRepository,
  type UserCreateInput,
  type UserRecord,
  type UserRole,
  type UsersRepository,
} from './repositories/users.ts';
export type {
  HealthCheckInput,
  HealthCheckRecord,
  HealthRepository,
} from './repositories/health.ts';
export type {
  RequestLogFilter,
  RequestLogInput,
  RequestLogRecord,
  RequestLogsRepository,
  RequestOutcomeFilter,
  StatsBucket,
} from './repositories/request-logs.ts';
export {
  checkWebhookUrl,
  maskWebhookUrl,
  type AlertsRepository,
  type DeliveryRecord,
  type DeliveryStatus,
  type WebhookInput,
  type WebhookPatch,
  type WebhookRecord,
  type WebhookTarget,
} from './repositories/alerts.ts';

export { exportConfig, loadGatewayConfig } from './config/export-config.ts';
export {
  importConfig,
  importFromEnvironment,
  type ImportOptions,
  type ImportSummary,
} from './config/import-config.ts';
// Retention: run on a schedule by every server process that owns the database.
export {
  pruneByRetention,
  pruneByRetentionExclusively,
  type PruneResult,
} from './repositories/retention.ts';

// Responses API
export {
  createStoredResponsesRepository,
  type StoredResponsesRepository,
} from './repositories/responses.ts';
export { effectivePriceCatalogue } from './repositories/price-catalogue.ts';
export type {
  CatalogueImportResult,
  PriceCatalogueRepository,
  StoredCatalogueSummary,
} from './repositories/price-catalogue.ts';
export { SPEND_DIMENSIONS } from './repositories/spend.ts';
export type { SpendDimension, SpendFilter, SpendRow } from './repositories/spend.ts';
