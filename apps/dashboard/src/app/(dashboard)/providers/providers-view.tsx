'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import {
  deriveHealthStatus,
  InferenceProviderSelector,
  ProviderManager,
  ProviderStatusTable,
  toHealthSummary,
  type InferenceProviderChoice,
  type SelectorHealth,
} from '@switchyard/ui';
import { useTRPC } from '../../../trpc/react.tsx';
import { asActionResult, errorMessage } from '../../../trpc/errors.ts';
import {
  ErrorNotice,
  PageHeader,
  QueryView,
  ReadOnlyNotice,
} from '../../../components/page-parts.tsx';
import { useSessionUser } from '../../../components/session-user.tsx';
import type { RouterOutputs } from '../../../server/api/index.ts';
import type { ProviderInput } from '@switchyard/core';

type Groups = RouterOutputs['providers']['list']['groups'];

function selectorHealth(groups: Groups): Partial<Record<'lm-studio' | 'cloud', SelectorHealth>> {
  const result: Partial<Record<'lm-studio' | 'cloud', SelectorHealth>> = {};
  for (const name of ['lm-studio', 'cloud'] as const) {
    const group = groups[name];
    if (group)
      result[name] = {
        status: deriveHealthStatus({
          isHealthy: group.isHealthy,
          responseTime: group.responseTime,
        }),
        latencyMs: group.responseTime,
        detail: group.error,
      };
  }
  return result;
}

function isChoice(value: string | undefined): value is InferenceProviderChoice {
  return value === 'lm-studio' || value === 'cloud' || value === 'auto';
}

function DefaultProviderCard({ groups }: { groups: Groups }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { isAdmin } = useSessionUser();
  const settings = useQuery(trpc.settings.get.queryOptions());
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.settings.get.queryKey() }),
    }),
  );
  return (
    <section className="card" aria-labelledby="default-provider-title">
      <h2 id="default-provider-title">Inference provider</h2>
      <p className="sy-hint">
        Serves requests that name no model when no default route is set.{' '}
        <Link href="/settings#what-serves">What serves a request</Link> explains the whole order.
      </p>
      <QueryView query={settings} what="settings">
        {(data) => (
          <>
            {!isChoice(data.defaultProvider) ? (
              <p className="sy-hint">
                Requests currently default to the provider <code>{data.defaultProvider}</code>; pick
                a group below to change that.
              </p>
            ) : null}
            <InferenceProviderSelector
              value={isChoice(data.defaultProvider) ? data.defaultProvider : undefined}
              onProviderChange={(choice) => update.mutate({ defaultProvider: choice })}
              autoFallback={data.autoFallback}
              onAutoFallbackChange={(enabled) => update.mutate({ autoFallback: enabled })}
              showHealthStatus
              health={selectorHealth(groups)}
              disabled={!isAdmin || update.isPending}
            />
            {update.error ? <ErrorNotice error={update.error} /> : null}
          </>
        )}
      </QueryView>
    </section>
  );
}

/** Health, circuits, cool-downs and last errors, refreshed often: they change by the second. */
function ProviderStatusCard() {
  const trpc = useTRPC();
  const status = useQuery(
    trpc.providers.status.queryOptions(undefined, { refetchInterval: 5_000 }),
  );
  return (
    <section className="card" aria-labelledby="provider-status-title">
      <h2 id="provider-status-title">Health and circuits</h2>
      <p className="sy-hint">
        A circuit opens after repeated failures and keeps its provider or model out of routing until
        it is due for a probe; a cool-down is the wait a provider asked for with Retry-After.
      </p>
      <QueryView query={status} what="provider status">
        {(data) => <ProviderStatusTable providers={data.providers} history={data.history} />}
      </QueryView>
    </section>
  );
}

export function ProvidersView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { isAdmin } = useSessionUser();
  const list = useQuery(trpc.providers.list.queryOptions(undefined, { refetchInterval: 10_000 }));
  const templates = useQuery(trpc.providers.templates.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey() });

  const create = useMutation(trpc.providers.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.providers.update.mutationOptions({ onSuccess: refresh }));
  const setEnabled = useMutation(trpc.providers.setEnabled.mutationOptions({ onSuccess: refresh }));
  const reorder = useMutation(trpc.providers.reorder.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.providers.remove.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(trpc.providers.test.mutationOptions({ onSuccess: refresh }));
  const discover = useMutation(trpc.providers.discoverModels.mutationOptions());
  const discoverDraft = useMutation(trpc.providers.discoverDraftModels.mutationOptions());

  return (
    <>
      <PageHeader
        title="Providers"
        description="The upstreams requests are routed to. Lower priority numbers are tried first; secrets (API keys, header values, passwords and query tokens in endpoint URLs) are stored encrypted and shown as ********; leave ******** in place to keep a stored value."
      />
      {!isAdmin ? <ReadOnlyNotice /> : null}
      <QueryView query={list} what="providers">
        {(data) => (
          <>
            <DefaultProviderCard groups={data.groups} />
            <ProviderStatusCard />
            <section className="card" aria-labelledby="providers-title">
              <h2 id="providers-title">All providers</h2>
              {templates.error ? (
                <ErrorNotice error={templates.error} onRetry={() => void templates.refetch()} />
              ) : null}
              <ProviderManager
                providers={data.providers}
                templates={templates.data ?? []}
                health={data.health.map(toHealthSummary)}
                readOnly={!isAdmin}
                onCreate={(input) => asActionResult(() => create.mutateAsync(input))}
                onUpdate={(id, patch) => asActionResult(() => update.mutateAsync({ id, patch }))}
                onSetEnabled={(id, enabled) =>
                  asActionResult(() => setEnabled.mutateAsync({ id, enabled }))
                }
                onReorder={(ids) => asActionResult(() => reorder.mutateAsync({ ids }))}
                onDelete={(id) => asActionResult(() => remove.mutateAsync({ id }))}
                {...(isAdmin
                  ? {
                      onTest: async (id: string) => {
                        try {
                          const result = await test.mutateAsync({ id });
                          return {
                            ok: result.ok,
                            ...(result.latencyMs !== null ? { latencyMs: result.latencyMs } : {}),
                            ...(result.error ? { error: result.error } : {}),
                          };
                        } catch (error) {
                          return { ok: false, error: errorMessage(error) };
                        }
                      },
                      onDiscoverModels: (id: string) => discover.mutateAsync({ id }),
                      onDiscoverDraftModels: (input: ProviderInput) =>
                        discoverDraft.mutateAsync(input),
                    }
                  : {})}
              />
            </section>
          </>
        )}
      </QueryView>
    </>
  );
}
