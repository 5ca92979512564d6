'use client';
// Settings → Alerts: the webhooks told when a provider goes down or recovers, a circuit opens or
// a key crosses 80 % / 100 % of its budget, a test send, and the recent deliveries.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmButton } from '@switchyard/ui';
import { useId, useState, type FormEvent } from 'react';
import { useTRPC } from '../../../trpc/react.tsx';
import { errorMessage, fieldErrorsOf } from '../../../trpc/errors.ts';
import { formatTime, QueryView } from '../../../components/page-parts.tsx';
import type { RouterOutputs } from '../../../server/api/index.ts';

type Delivery = RouterOutputs['alerts']['test'];

const EVENT_NAMES: Record<string, string> = {
  'provider.down': 'Provider down',
  'provider.up': 'Provider recovered',
  'circuit.open': 'Circuit open',
  'budget.80': 'Budget 80 %',
  'budget.100': 'Budget 100 %',
  test: 'Test',
};

function deliveryOutcome(delivery: Delivery): string {
  if (delivery.status === 'delivered')
    return `Delivered${delivery.lastStatus ? ` (HTTP ${delivery.lastStatus})` : ''}.`;
  const error = delivery.lastError ?? 'not delivered';
  return delivery.status === 'pending'
    ? `Not delivered yet: ${error}. Retrying at ${formatTime(delivery.nextAttemptAt)}.`
    : `Failed: ${error}.`;
}

function AddWebhookForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const create = useMutation(
    trpc.alerts.create.mutationOptions({
      onSuccess: async () => {
        setName('');
        setUrl('');
        setSecret('');
        await queryClient.invalidateQueries({ queryKey: trpc.alerts.webhooks.queryKey() });
      },
    }),
  );
  const fieldErrors = fieldErrorsOf(create.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, url, ...(secret === '' ? {} : { secret }) });
  }
  const fieldError = (field: string) =>
    fieldErrors[field] ? (
      <span className="sy-field__error" role="alert" id={`${id}-${field}-error`}>
        {fieldErrors[field]}
      </span>
    ) : null;
  return (
    <form className="sy-form" onSubmit={submit} aria-label="Add a webhook">
      {create.error && Object.keys(fieldErrors).length === 0 ? (
        <div className="sy-alert sy-alert--error" role="alert">
          {errorMessage(create.error)}
        </div>
      ) : null}
      <div className="sy-form__grid">
        <div className="sy-field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. Ops channel"
            required
          />
          {fieldError('name')}
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-url`}>
            URL{' '}
            <span className="sy-hint">(http:// or https://; a Slack incoming webhook works)</span>
          </label>
          <input
            id={`${id}-url`}
            type="url"
            inputMode="url"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="https://hooks.example.com/…"
            required
          />
          {fieldError('url')}
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-secret`}>
            Signing secret <span className="sy-hint">(optional)</span>
          </label>
          <input
            id={`${id}-secret`}
            type="password"
            autoComplete="new-password"
            value={secret}
            onChange={(event) => setSecret(event.target.value)}
          />
          {fieldError('secret')}
        </div>
      </div>
      <p className="sy-hint">
        With a secret, each request carries <code>X-Switchyard-Timestamp</code> and{' '}
        <code>X-Switchyard-Signature: sha256=…</code>, the HMAC-SHA256 of{' '}
        <code>&lt;timestamp&gt;.&lt;body&gt;</code>. The secret and the URL&apos;s path are stored
        encrypted and never shown again.
      </p>
      <div className="sy-actions">
        <button type="submit" className="sy-button sy-button--primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add webhook'}
        </button>
      </div>
    </form>
  );
}

function WebhookList({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const webhooks = useQuery(trpc.alerts.webhooks.queryOptions());
  const [confirm, setConfirm] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, string>>({});
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.alerts.webhooks.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.alerts.deliveries.queryKey() });
  };
  const test = useMutation(
    trpc.alerts.test.mutationOptions({
      onSuccess: async (delivery, input) => {
        setResults((current) => ({ ...current, [input.id]: deliveryOutcome(delivery) }));
        await refresh();
      },
      onError: (error, input) =>
        setResults((current) => ({ ...current, [input.id]: errorMessage(error) })),
    }),
  );
  const update = useMutation(trpc.alerts.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.alerts.remove.mutationOptions({ onSuccess: refresh }));
  const failure = update.error ?? remove.error;
  return (
    <QueryView query={webhooks} what="the webhooks">
      {(list) =>
        list.length === 0 ? (
          <p className="sy-empty">
            No webhooks yet.
            {isAdmin ? ' Add one below to be told when something needs attention.' : ''}
          </p>
        ) : (
          <>
            {failure ? (
              <div className="sy-alert sy-alert--error" role="alert">
                {errorMessage(failure)}
              </div>
            ) : null}
            <div className="table-wrap">
              <table aria-label="Webhooks">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">URL</th>
                    <th scope="col">Signed</th>
                    <th scope="col">Status</th>
                    {isAdmin ? <th scope="col">Actions</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {list.map((webhook) => (
                    <tr key={webhook.id}>
                      <td>{webhook.name}</td>
                      <td>
                        <code>{webhook.url}</code>
                      </td>
                      <td>{webhook.hasSecret ? 'yes' : 'no'}</td>
                      <td>{webhook.enabled ? 'enabled' : 'paused'}</td>
                      {isAdmin ? (
                        <td>
                          <div className="alert-actions">
                            <button
                              type="button"
                              className="sy-button sy-button--small"
                              disabled={test.isPending && test.variables.id === webhook.id}
                              aria-label={`Send test to ${webhook.name}`}
                              onClick={() => test.mutate({ id: webhook.id })}
                            >
                              {test.isPending && test.variables.id === webhook.id
                                ? 'Sending…'
                                : 'Send test'}
                            </button>
                            <button
                              type="button"
                              className="sy-button sy-button--small"
                              onClick={() =>
                                update.mutate({ id: webhook.id, enabled: !webhook.enabled })
                              }
                            >
                              {webhook.enabled ? 'Pause' : 'Resume'}
                            </button>
                            <ConfirmButton
                              small
                              label="Delete"
                              question={`Delete the webhook ${webhook.name}?`}
                              confirmLabel="Yes, delete"
                              asking={confirm === webhook.id}
                              onAskingChange={(asking) => setConfirm(asking ? webhook.id : null)}
                              onConfirm={() => remove.mutate({ id: webhook.id })}
                            />
                          </div>
                          {results[webhook.id] ? (
                            <p
                              className="sy-test-result"
                              role="status"
                              data-testid="webhook-test-result"
                            >
                              {results[webhook.id]}
                            </p>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      }
    </QueryView>
  );
}

function DeliveryList() {
  const trpc = useTRPC();
  // Retries happen in the background: keep the list current while the page is open.
  const deliveries = useQuery({
    ...trpc.alerts.deliveries.queryOptions({ limit: 25 }),
    refetchInterval: 5_000,
  });
  return (
    <QueryView query={deliveries} what="the deliveries">
      {(list) =>
        list.length === 0 ? (
          <p className="sy-empty">No alerts sent yet.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Recent deliveries">
            <table aria-label="Recent deliveries">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Webhook</th>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {list.map((delivery) => (
                  <tr key={delivery.id} data-testid="alert-delivery">
                    <td>{formatTime(delivery.createdAt)}</td>
                    <td>{delivery.webhookName}</td>
                    <td title={delivery.text}>{EVENT_NAMES[delivery.event] ?? delivery.event}</td>
                    <td>
                      {delivery.status}
                      {delivery.status === 'pending' && delivery.attempts > 0 ? (
                        <span className="sy-hint">
                          {' '}
                          (next try {formatTime(delivery.nextAttemptAt)})
                        </span>
                      ) : null}
                    </td>
                    <td>{delivery.attempts}</td>
                    <td>{delivery.lastError ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </QueryView>
  );
}

export function AlertWebhooks({ isAdmin }: { isAdmin: boolean }) {
  return (
    <>
      <p className="sy-hint">
        A JSON body with a Slack-compatible <code>text</code> line is posted when a provider goes
        down or recovers, a circuit opens, or a key passes 80 % or 100 % of its monthly budget.
        Failed deliveries are retried with backoff, six attempts in all.
      </p>
      <WebhookList isAdmin={isAdmin} />
      {isAdmin ? (
        <>
          <h3>Add a webhook</h3>
          <AddWebhookForm />
        </>
      ) : null}
      <h3>Recent deliveries</h3>
      <DeliveryList />
    </>
  );
}
