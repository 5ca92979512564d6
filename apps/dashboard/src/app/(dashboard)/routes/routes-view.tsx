'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '@switchyard/ui';
import { useTRPC } from '../../../trpc/react.tsx';
import { asActionResult } from '../../../trpc/errors.ts';
import {
  ErrorNotice,
  PageHeader,
  QueryView,
  ReadOnlyNotice,
} from '../../../components/page-parts.tsx';
import { useSessionUser } from '../../../components/session-user.tsx';
import { RouteForm } from './route-form.tsx';

export function RoutesView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { isAdmin } = useSessionUser();
  const routes = useQuery(trpc.routes.list.queryOptions());
  const providers = useQuery(trpc.providers.list.queryOptions());
  const [editing, setEditing] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.routes.list.queryKey() });
  const upsert = useMutation(trpc.routes.upsert.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.routes.remove.mutationOptions({ onSuccess: refresh }));
  const providerList = (providers.data?.providers ?? []).map((provider) => ({
    id: provider.id,
    name: provider.name,
  }));
  const providerName = (id: string) =>
    providerList.find((provider) => provider.id === id)?.name ?? id;

  return (
    <>
      <PageHeader
        title="Routes"
        description={
          <>
            Virtual models: clients send a route&apos;s name as <code>model</code>, and the route
            decides which providers answer, in which order, with which retries, timeouts and cache.
          </>
        }
        actions={
          isAdmin ? (
            <button
              type="button"
              className="sy-button sy-button--primary"
              onClick={() => setEditing('new')}
            >
              New route
            </button>
          ) : null
        }
      />
      {!isAdmin ? <ReadOnlyNotice /> : null}
      {providers.error ? (
        <ErrorNotice error={providers.error} onRetry={() => void providers.refetch()} />
      ) : null}
      <QueryView query={routes} what="routes">
        {(list) => (
          <>
            {editing ? (
              <RouteForm
                key={editing}
                route={editing === 'new' ? undefined : list.find((route) => route.name === editing)}
                providers={providerList}
                routeNames={list.map((route) => route.name)}
                onCancel={() => setEditing(null)}
                onSubmit={async (input) => {
                  const result = await asActionResult(() => upsert.mutateAsync(input));
                  if (result.ok) setEditing(null);
                  return result;
                }}
              />
            ) : null}
            {remove.error ? <ErrorNotice error={remove.error} /> : null}
            {list.length === 0 ? (
              <p className="sy-empty">
                No routes yet. Create one to give apps a stable model name (for example{' '}
                <code>chat</code>) that you can point at other providers later.
              </p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Strategy</th>
                      <th scope="col">Targets</th>
                      <th scope="col">Fallbacks</th>
                      <th scope="col">Retries / timeout</th>
                      <th scope="col">Cache</th>
                      {isAdmin ? (
                        <th scope="col">
                          <span className="sy-visually-hidden">Actions</span>
                        </th>
                      ) : null}
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((route) => (
                      <tr key={route.name} data-route={route.name}>
                        <td>
                          <code>{route.name}</code>
                          {route.kind === 'embedding' ? (
                            <span className="sy-hint"> embeddings</span>
                          ) : null}
                        </td>
                        <td>{route.strategy ?? 'global default'}</td>
                        <td>
                          {route.targets.length === 0
                            ? 'every enabled provider'
                            : route.targets
                                .map(
                                  (target) =>
                                    `${providerName(target.provider)}${target.model ? ` (${target.model})` : ''}${route.strategy === 'weighted' ? ` ×${target.weight}` : ''}`,
                                )
                                .join(' → ')}
                        </td>
                        <td>{route.fallbacks.length ? route.fallbacks.join(' → ') : '—'}</td>
                        <td>
                          {route.retryAttempts ?? 'default'} /{' '}
                          {route.timeout ? `${route.timeout} ms` : 'default'}
                        </td>
                        <td>{route.cache?.enabled ? `${route.cache.ttlSeconds} s` : 'off'}</td>
                        {isAdmin ? (
                          <td>
                            <div className="sy-actions" style={{ margin: 0 }}>
                              <button
                                type="button"
                                className="sy-button sy-button--small"
                                onClick={() => setEditing(route.name)}
                              >
                                Edit
                              </button>
                              <ConfirmButton
                                small
                                label="Delete"
                                question={`Delete ${route.name}?`}
                                confirmLabel="Yes, delete"
                                asking={confirm === route.name}
                                onAskingChange={(asking) => setConfirm(asking ? route.name : null)}
                                onConfirm={() => remove.mutate({ name: route.name })}
                              />
                            </div>
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}
