'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTRPC, useTRPCClient } from '../../../trpc/react.tsx';
import { errorMessage, fieldErrorsOf } from '../../../trpc/errors.ts';
import {
  ErrorNotice,
  formatTime,
  PageHeader,
  QueryView,
  ReadOnlyNotice,
} from '../../../components/page-parts.tsx';
import { CursorPager, useCursorPages } from '../../../components/cursor-pager.tsx';
import { useSessionUser } from '../../../components/session-user.tsx';
import { PriceCatalogueImport } from './price-catalogue-import.tsx';
import type { RouterOutputs } from '../../../server/api/index.ts';
import { RequestDefaults } from './request-defaults.tsx';
import { AlertWebhooks } from './alert-webhooks.tsx';

type Settings = RouterOutputs['settings']['get'];

const STRATEGIES = [
  'priority',
  'round-robin',
  'weighted',
  'health-based',
  'least-busy',
  'cost',
] as const;

interface FormValues {
  defaultRoute: string;
  loadBalancing: string;
  retryAttempts: string;
  retryDelay: string;
  timeout: string;
  enableHealthMonitoring: boolean;
  healthCheckInterval: string;
  cacheEnabled: boolean;
  cacheTtlSeconds: string;
  cacheMaxEntries: string;
  logBodies: boolean;
  logBodyMaxBytes: string;
  viewersReadBodies: boolean;
  customHealthCheck: boolean;
  healthCheckUrl: string;
  healthCheckMethod: 'GET' | 'HEAD' | 'POST';
  healthCheckStatus: string;
  healthCheckTimeout: string;
}

type NumberField =
  | 'retryAttempts'
  | 'retryDelay'
  | 'timeout'
  | 'healthCheckInterval'
  | 'cacheTtlSeconds'
  | 'cacheMaxEntries'
  | 'healthCheckStatus'
  | 'healthCheckTimeout'
  | 'logBodyMaxBytes';

function toValues(settings: Settings): FormValues {
  return {
    defaultRoute: settings.defaultRoute ?? '',
    loadBalancing: settings.loadBalancing,
    retryAttempts: String(settings.retryAttempts),
    retryDelay: String(settings.retryDelay),
    timeout: String(settings.timeout),
    enableHealthMonitoring: settings.enableHealthMonitoring,
    healthCheckInterval: String(settings.healthCheckInterval),
    cacheEnabled: settings.cache.enabled,
    cacheTtlSeconds: String(settings.cache.ttlSeconds),
    cacheMaxEntries: String(settings.cache.maxEntries),
    logBodies: settings.logBodies,
    logBodyMaxBytes: String(settings.logBodyMaxBytes),
    viewersReadBodies: settings.viewersReadBodies,
    customHealthCheck: settings.healthCheck !== undefined,
    healthCheckUrl: settings.healthCheck?.url ?? '/health',
    healthCheckMethod: settings.healthCheck?.method ?? 'GET',
    healthCheckStatus: String(settings.healthCheck?.expectedStatus ?? 200),
    healthCheckTimeout: String(settings.healthCheck?.timeout ?? 5000),
  };
}

function GlobalSettingsForm({
  settings,
  routes,
  readOnly,
  saved,
  setSaved,
}: {
  settings: Settings;
  routes: string[];
  readOnly: boolean;
  /** Kept by the parent: the form is built anew from the saved settings after each save. */
  saved: boolean;
  setSaved: (saved: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [values, setValues] = useState<FormValues>(() => toValues(settings));
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void queryClient.invalidateQueries({ queryKey: trpc.settings.get.queryKey() });
      },
    }),
  );
  const errors = fieldErrorsOf(update.error);
  const set = (patch: Partial<FormValues>) => {
    setSaved(false);
    setValues((current) => ({ ...current, ...patch }));
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    update.mutate({
      defaultRoute: values.defaultRoute || null,
      healthCheck: values.customHealthCheck
        ? {
            url: values.healthCheckUrl,
            method: values.healthCheckMethod,
            expectedStatus: Number(values.healthCheckStatus),
            timeout: Number(values.healthCheckTimeout),
          }
        : null,
      loadBalancing: values.loadBalancing as (typeof STRATEGIES)[number],
      retryAttempts: Number(values.retryAttempts),
      retryDelay: Number(values.retryDelay),
      timeout: Number(values.timeout),
      enableHealthMonitoring: values.enableHealthMonitoring,
      healthCheckInterval: Number(values.healthCheckInterval),
      cache: {
        enabled: values.cacheEnabled,
        ttlSeconds: Number(values.cacheTtlSeconds),
        maxEntries: Number(values.cacheMaxEntries),
      },
      logBodies: values.logBodies,
      logBodyMaxBytes: Number(values.logBodyMaxBytes),
      viewersReadBodies: values.viewersReadBodies,
    });
  }

  const numberField = (name: NumberField, label: string, errorPath: string = name) => (
    <div className="sy-field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        name={name}
        inputMode="numeric"
        value={values[name]}
        readOnly={readOnly}
        aria-invalid={errors[errorPath] ? true : undefined}
        onChange={(event: ChangeEvent<HTMLInputElement>) => set({ [name]: event.target.value })}
      />
      {errors[errorPath] ? (
        <span className="sy-field__error" role="alert">
          {errors[errorPath]}
        </span>
      ) : null}
    </div>
  );

  return (
    <form onSubmit={submit} noValidate aria-label="Global options">
      {update.error ? (
        <div className="sy-alert sy-alert--error" role="alert">
          {errorMessage(update.error)}
        </div>
      ) : null}
      <div className="sy-form__grid">
        <div className="sy-field">
          <label htmlFor={`${id}-route`}>
            Default route <span className="sy-hint">(requests that name no model)</span>
          </label>
          <select
            id={`${id}-route`}
            value={values.defaultRoute}
            disabled={readOnly}
            onChange={(event) => set({ defaultRoute: event.target.value })}
          >
            <option value="">None: the Providers page&apos;s inference provider decides</option>
            {routes.map((route) => (
              <option key={route} value={route}>
                {route}
              </option>
            ))}
          </select>
          {errors.defaultRoute ? (
            <span className="sy-field__error" role="alert">
              {errors.defaultRoute}
            </span>
          ) : null}
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-lb`}>Load balancing</label>
          <select
            id={`${id}-lb`}
            value={values.loadBalancing}
            disabled={readOnly}
            onChange={(event) => set({ loadBalancing: event.target.value })}
          >
            {STRATEGIES.map((strategy) => (
              <option key={strategy} value={strategy}>
                {strategy}
              </option>
            ))}
          </select>
        </div>
        {numberField('retryAttempts', 'Retry attempts')}
        {numberField('retryDelay', 'Retry delay (ms)')}
        {numberField('timeout', 'Timeout per attempt (ms)')}
        <label className="sy-check">
          <input
            type="checkbox"
            checked={values.enableHealthMonitoring}
            disabled={readOnly}
            onChange={(event) => set({ enableHealthMonitoring: event.target.checked })}
          />
          Health monitoring
        </label>
        {numberField('healthCheckInterval', 'Health check interval (ms)')}
        <label className="sy-check">
          <input
            type="checkbox"
            checked={values.customHealthCheck}
            disabled={readOnly}
            onChange={(event) => set({ customHealthCheck: event.target.checked })}
          />
          Custom health check for every provider
        </label>
      </div>
      {values.customHealthCheck ? (
        <div className="sy-form__grid">
          <div className="sy-field">
            <label htmlFor={`${id}-hc-url`}>
              Health check URL{' '}
              <span className="sy-hint">(a path on each provider, or a full URL)</span>
            </label>
            <input
              id={`${id}-hc-url`}
              value={values.healthCheckUrl}
              readOnly={readOnly}
              aria-invalid={errors['healthCheck.url'] ? true : undefined}
              onChange={(event) => set({ healthCheckUrl: event.target.value })}
            />
            {errors['healthCheck.url'] ? (
              <span className="sy-field__error" role="alert">
                {errors['healthCheck.url']}
              </span>
            ) : null}
          </div>
          <div className="sy-field">
            <label htmlFor={`${id}-hc-method`}>Method</label>
            <select
              id={`${id}-hc-method`}
              value={values.healthCheckMethod}
              disabled={readOnly}
              onChange={(event) =>
                set({ healthCheckMethod: event.target.value as FormValues['healthCheckMethod'] })
              }
            >
              <option value="GET">GET</option>
              <option value="HEAD">HEAD</option>
              <option value="POST">POST</option>
            </select>
          </div>
          {numberField('healthCheckStatus', 'Expected status', 'healthCheck.expectedStatus')}
          {numberField('healthCheckTimeout', 'Timeout (ms)', 'healthCheck.timeout')}
        </div>
      ) : null}
      <h3>Cache</h3>
      <div className="sy-form__grid">
        <label className="sy-check">
          <input
            type="checkbox"
            checked={values.cacheEnabled}
            disabled={readOnly}
            onChange={(event) => set({ cacheEnabled: event.target.checked })}
          />
          Cache identical requests
        </label>
        {numberField('cacheTtlSeconds', 'Lifetime (seconds)', 'cache.ttlSeconds')}
        {numberField('cacheMaxEntries', 'Entries kept', 'cache.maxEntries')}
      </div>
      <h3>Logs</h3>
      <label className="sy-check">
        <input
          type="checkbox"
          checked={values.logBodies}
          disabled={readOnly}
          onChange={(event) => set({ logBodies: event.target.checked })}
        />
        Log request and response bodies (they may contain personal data; values that look like
        credentials are masked, inline images shortened)
      </label>
      {numberField('logBodyMaxBytes', 'Bytes kept per body (a preview of larger ones)')}
      <label className="sy-check">
        <input
          type="checkbox"
          checked={values.viewersReadBodies}
          disabled={readOnly}
          onChange={(event) => set({ viewersReadBodies: event.target.checked })}
        />
        Viewers may read logged bodies (admins always can)
      </label>
      {!readOnly ? (
        <div className="sy-actions">
          <button
            type="submit"
            className="sy-button sy-button--primary"
            disabled={update.isPending}
          >
            {update.isPending ? 'Saving…' : 'Save settings'}
          </button>
          {/* Beside the button, where the eye is after a click; announced to screen readers. */}
          <span className="sy-test-result" role="status" data-testid="settings-saved">
            {saved ? 'Saved: the gateway uses the new settings now.' : ''}
          </span>
          {update.error ? (
            <span className="sy-field__error">Not saved: see the message above.</span>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

function ImportExport() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<'yaml' | 'json'>('yaml');
  const [text, setText] = useState('');
  const [exportError, setExportError] = useState<string | null>(null);
  const importConfig = useMutation(
    trpc.settings.importConfig.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(),
    }),
  );
  const errors = fieldErrorsOf(importConfig.error);

  async function download() {
    setExportError(null);
    try {
      const content = await client.settings.exportConfig.query({ format });
      const url = URL.createObjectURL(
        new Blob([content], { type: format === 'json' ? 'application/json' : 'application/yaml' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `switchyard-config.${format === 'json' ? 'json' : 'yaml'}`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setExportError(errorMessage(error));
    }
  }

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    setFormat(file.name.endsWith('.json') ? 'json' : 'yaml');
  }

  return (
    <>
      <p className="sy-hint">
        The export holds providers, routes, keys (as hashes) and settings, without provider secrets.
        Importing accepts the seed&apos;s config shape too; it updates by id and changes nothing if
        any entry is invalid.
      </p>
      <div className="sy-actions">
        <label htmlFor="export-format">Format</label>
        <select
          id="export-format"
          value={format}
          onChange={(event) => setFormat(event.target.value as 'yaml' | 'json')}
        >
          <option value="yaml">YAML</option>
          <option value="json">JSON</option>
        </select>
        <button type="button" className="sy-button" onClick={() => void download()}>
          Export config
        </button>
      </div>
      {exportError ? (
        <div className="sy-alert sy-alert--error" role="alert">
          {exportError}
        </div>
      ) : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          importConfig.mutate({ text, format });
        }}
        aria-label="Import config"
      >
        <div className="sy-field">
          <label htmlFor="import-file">Import a config file</label>
          <input
            id="import-file"
            type="file"
            accept=".json,.yaml,.yml"
            onChange={(event) => void readFile(event)}
          />
        </div>
        <div className="sy-field">
          <label htmlFor="import-text">…or paste it</label>
          <textarea
            id="import-text"
            rows={8}
            spellCheck={false}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        {importConfig.error ? (
          <div className="sy-alert sy-alert--error" role="alert">
            {errorMessage(importConfig.error)}
            {Object.keys(errors).length > 0 ? (
              <ul>
                {Object.entries(errors).map(([path, message]) => (
                  <li key={path}>
                    <code>{path || 'file'}</code>: {message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {importConfig.data ? (
          <p className="sy-test-result" role="status">
            Imported: {JSON.stringify(importConfig.data)}
          </p>
        ) : null}
        <div className="sy-actions">
          <button
            type="submit"
            className="sy-button sy-button--primary"
            disabled={!text.trim() || importConfig.isPending}
          >
            {importConfig.isPending ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </>
  );
}

/** The fields a change touched, e.g. `enabled: true → false`. */
function ChangeSummary({ before, after }: { before: unknown; after: unknown }) {
  const asRecord = (value: unknown): Record<string, unknown> =>
    value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const old = asRecord(before);
  const next = asRecord(after);
  const show = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value));
  const changed = [...new Set([...Object.keys(old), ...Object.keys(next)])].filter(
    (key) => JSON.stringify(old[key]) !== JSON.stringify(next[key]),
  );
  if (changed.length === 0) return null;
  return (
    <details>
      <summary>
        {changed.slice(0, 3).join(', ')}
        {changed.length > 3 ? ` and ${changed.length - 3} more` : ''}
      </summary>
      <ul>
        {changed.map((key) => (
          <li key={key}>
            <code>{key}</code>: {show(old[key])} → {show(next[key])}
          </li>
        ))}
      </ul>
    </details>
  );
}

type AuditEntry = RouterOutputs['audit']['list']['items'][number];

/** What an entry changed: keys and users by name (their ids are UUIDs), the rest by id. */
export function AuditTarget({ entry }: { entry: AuditEntry }) {
  if (!entry.entityId) return <>{entry.entity}</>;
  return (
    <>
      {entry.entity}{' '}
      {entry.entityName ? (
        <strong title={entry.entityId}>{entry.entityName}</strong>
      ) : (
        <code>{entry.entityId}</code>
      )}
    </>
  );
}

function AuditLog() {
  const trpc = useTRPC();
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const audit = useQuery(
    trpc.audit.list.queryOptions({ limit: 20, ...(cursor ? { cursor } : {}) }),
  );
  return (
    <QueryView query={audit} what="the audit log">
      {(page) =>
        page.items.length === 0 ? (
          <p className="sy-empty">
            No changes recorded yet. Every change to providers, routes, keys, users and settings
            will be listed here.
          </p>
        ) : (
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit log">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Who</th>
                    <th scope="col">Action</th>
                    <th scope="col">What</th>
                    <th scope="col">Change</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((entry) => (
                    <tr key={entry.id}>
                      <td>{formatTime(entry.createdAt)}</td>
                      <td>{entry.actor.email ?? entry.actor.via}</td>
                      <td>{entry.action}</td>
                      <td>
                        <AuditTarget entry={entry} />
                      </td>
                      <td>
                        <ChangeSummary before={entry.before} after={entry.after} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <CursorPager label="Audit pages" pages={pages} nextCursor={page.nextCursor} />
          </>
        )
      }
    </QueryView>
  );
}

export function SettingsView() {
  const trpc = useTRPC();
  const { isAdmin } = useSessionUser();
  const settings = useQuery(trpc.settings.get.queryOptions());
  const routes = useQuery(trpc.routes.list.queryOptions());
  const [saved, setSaved] = useState(false);
  return (
    <>
      <PageHeader
        title="Settings"
        description="The gateway-wide defaults; routes can override retries, timeouts and cache."
      />
      {!isAdmin ? <ReadOnlyNotice /> : null}
      <section className="card" id="what-serves" aria-labelledby="what-serves-title">
        <h2 id="what-serves-title">What serves a request</h2>
        <QueryView query={settings} what="settings">
          {(data) => <RequestDefaults settings={data} />}
        </QueryView>
      </section>
      <section className="card" aria-labelledby="globals-title">
        <h2 id="globals-title">Routing, retries and health</h2>
        <QueryView query={settings} what="settings">
          {(data) => (
            <GlobalSettingsForm
              key={String(data.updatedAt)}
              settings={data}
              routes={(routes.data ?? []).map((route) => route.name)}
              readOnly={!isAdmin}
              saved={saved}
              setSaved={setSaved}
            />
          )}
        </QueryView>
      </section>
      <section className="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Alerts</h2>
        <AlertWebhooks isAdmin={isAdmin} />
      </section>
      {isAdmin ? (
        <section className="card" aria-labelledby="config-title">
          <h2 id="config-title">Import and export</h2>
          <ImportExport />
        </section>
      ) : null}
      <section className="card" aria-labelledby="prices-title">
        <h2 id="prices-title">Price catalogue</h2>
        <PriceCatalogueImport canImport={isAdmin} />
      </section>
      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit log</h2>
        {settings.error ? <ErrorNotice error={settings.error} /> : null}
        <AuditLog />
      </section>
    </>
  );
}
