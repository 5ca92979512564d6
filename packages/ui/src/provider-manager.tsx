'use client';
import { useEffect, useRef, useState } from 'react';
import type { ProviderInput } from '@switchyard/core';
import type {
  ActionResult,
  DiscoveredModel,
  ProviderHealthSummary,
  ProviderTemplateView,
  ProviderTestSummary,
  ProviderView,
} from './types.ts';
import { ConfirmButton } from './confirm-button.tsx';
import { HealthBadge } from './health-badge.tsx';
import { ProviderForm } from './provider-form.tsx';
import { formatLatency } from './format.ts';

export interface ProviderManagerProps {
  providers: ReadonlyArray<ProviderView>;
  templates: ReadonlyArray<ProviderTemplateView>;
  health?: ReadonlyArray<ProviderHealthSummary>;
  /** Viewers see everything but can change nothing. */
  readOnly?: boolean;
  onCreate?: (input: ProviderInput) => Promise<ActionResult>;
  onUpdate?: (id: string, patch: Partial<ProviderInput>) => Promise<ActionResult>;
  onDelete?: (id: string) => Promise<ActionResult>;
  onSetEnabled?: (id: string, enabled: boolean) => Promise<ActionResult>;
  onReorder?: (idsInPriorityOrder: string[]) => Promise<ActionResult>;
  onTest?: (id: string) => Promise<ProviderTestSummary>;
  onDiscoverModels?: (id: string) => Promise<ReadonlyArray<string | DiscoveredModel>>;
  /** Lists the models of a provider being added, from the settings typed so far. */
  onDiscoverDraftModels?: (
    input: ProviderInput,
  ) => Promise<ReadonlyArray<string | DiscoveredModel>>;
  /** The seed's callback: called with the provider list whenever it changes. */
  onConfigChange?: (config: { providers: ProviderView[] }) => void;
}

type Editing = { mode: 'create'; type: string } | { mode: 'edit'; id: string } | null;

function byPriority(providers: ReadonlyArray<ProviderView>): ProviderView[] {
  return [...providers].sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id));
}

/** The seed's CloudProviderManager: list, add from a template, edit, enable, reorder, test, delete. */
export function ProviderManager(props: ProviderManagerProps) {
  const { providers, templates, health = [], readOnly = false, onConfigChange } = props;
  const [editing, setEditing] = useState<Editing>(null);
  // One entry per vendor: a second name for the same form is only used to edit its providers.
  const offered = templates.filter((template) => template.aliasOf === undefined);
  const [chosenType, setChosenType] = useState<string>(offered[0]?.type ?? '');
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const [tests, setTests] = useState<Record<string, ProviderTestSummary | 'running'>>({});
  const [busy, setBusy] = useState<string | null>(null);

  const onConfigChangeRef = useRef(onConfigChange);
  onConfigChangeRef.current = onConfigChange;
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    onConfigChangeRef.current?.({ providers: [...providers] });
  }, [providers]);

  const ordered = byPriority(providers);
  const healthById = new Map(health.map((entry) => [entry.providerId, entry]));
  const nextPriority =
    ordered.length === 0 ? 1 : Math.max(...ordered.map((provider) => provider.priority)) + 1;
  const templateFor = (type: string) => templates.find((template) => template.type === type);

  async function run(id: string, action: () => Promise<ActionResult>) {
    setBusy(id);
    setRowError(null);
    try {
      const result = await action();
      if (!result.ok) setRowError({ id, message: result.message });
    } catch (error) {
      setRowError({ id, message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(null);
    }
  }

  async function test(id: string) {
    if (!props.onTest) return;
    setTests((current) => ({ ...current, [id]: 'running' }));
    try {
      const result = await props.onTest(id);
      setTests((current) => ({ ...current, [id]: result }));
    } catch (error) {
      setTests((current) => ({
        ...current,
        [id]: { ok: false, error: error instanceof Error ? error.message : String(error) },
      }));
    }
  }

  function move(index: number, offset: -1 | 1) {
    const target = index + offset;
    const moved = ordered[index];
    if (!moved || target < 0 || target >= ordered.length || !props.onReorder) return;
    const ids = ordered.map((provider) => provider.id);
    ids.splice(index, 1);
    ids.splice(target, 0, moved.id);
    void run(moved.id, () => props.onReorder!(ids));
  }

  const editingProvider =
    editing?.mode === 'edit' ? providers.find((provider) => provider.id === editing.id) : undefined;
  const editingTemplate =
    editing?.mode === 'create'
      ? templateFor(editing.type)
      : editingProvider
        ? templateFor(editingProvider.type)
        : undefined;

  return (
    <section className="sy-provider-manager" aria-label="Providers">
      {!readOnly && props.onCreate ? (
        <div className="sy-toolbar">
          <label htmlFor="sy-new-provider-type">Add a provider</label>
          <select
            id="sy-new-provider-type"
            value={chosenType}
            onChange={(event) => setChosenType(event.target.value)}
          >
            {offered.map((template) => (
              <option key={template.type} value={template.type}>
                {template.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="sy-button sy-button--primary"
            onClick={() => setEditing({ mode: 'create', type: chosenType })}
            disabled={!chosenType}
          >
            New provider
          </button>
        </div>
      ) : null}

      {editing && editingTemplate ? (
        <ProviderForm
          key={editing.mode === 'edit' ? editing.id : `new-${editing.type}`}
          template={editingTemplate}
          provider={editingProvider}
          nextPriority={nextPriority}
          onDiscoverModels={props.onDiscoverModels}
          onDiscoverDraftModels={props.onDiscoverDraftModels}
          onCancel={() => setEditing(null)}
          onSubmit={async (input) => {
            const action =
              editing.mode === 'edit'
                ? props.onUpdate?.(editing.id, input)
                : props.onCreate?.(input);
            const result = (await action) ?? {
              ok: false,
              message: 'This action is not available.',
            };
            if (result.ok) setEditing(null);
            return result;
          }}
        />
      ) : null}

      {ordered.length === 0 ? (
        <p className="sy-empty">
          No providers yet. Pick a type above and add one: a local server such as LM Studio or
          Ollama, or a cloud API with its key.
        </p>
      ) : (
        <ul className="sy-provider-list">
          {ordered.map((provider, index) => {
            const entry = healthById.get(provider.id);
            const testState = tests[provider.id];
            return (
              <li key={provider.id} className="sy-provider-row" data-provider={provider.id}>
                <div className="sy-provider-row__main">
                  <div className="sy-provider-row__title">
                    <strong>{provider.name}</strong>
                    <code className="sy-muted">{provider.id}</code>
                    <span className="sy-tag">
                      {templateFor(provider.type)?.label ?? provider.type}
                    </span>
                    <HealthBadge
                      status={provider.enabled ? (entry?.status ?? 'unknown') : 'disabled'}
                      latencyMs={entry?.latencyMs ?? null}
                      detail={entry?.error ?? null}
                    />
                  </div>
                  <div className="sy-provider-row__facts sy-muted">
                    <span>
                      {provider.endpoint ??
                        templateFor(provider.type)?.defaultEndpoint ??
                        'default endpoint'}
                    </span>
                    <span>priority {provider.priority}</span>
                    <span>weight {provider.weight}</span>
                    <span>{provider.hasApiKey ? 'API key •••• set' : 'no API key'}</span>
                    <span>
                      {provider.models?.length
                        ? `${provider.models.length} ${provider.models.length === 1 ? 'model' : 'models'}`
                        : 'no model list'}
                    </span>
                  </div>
                  {testState ? (
                    <p
                      className={`sy-test-result ${testState !== 'running' && !testState.ok ? 'sy-test-result--error' : ''}`}
                      role="status"
                    >
                      {testState === 'running'
                        ? 'Testing…'
                        : testState.ok
                          ? `Test passed in ${formatLatency(testState.latencyMs)}`
                          : `Test failed: ${testState.error ?? 'unknown error'}`}
                    </p>
                  ) : null}
                  {rowError?.id === provider.id ? (
                    <p className="sy-field__error" role="alert">
                      {rowError.message}
                    </p>
                  ) : null}
                </div>
                <div className="sy-provider-row__actions">
                  {props.onTest ? (
                    <button
                      type="button"
                      className="sy-button"
                      onClick={() => void test(provider.id)}
                      disabled={testState === 'running'}
                    >
                      Test
                    </button>
                  ) : null}
                  {!readOnly ? (
                    <>
                      <button
                        type="button"
                        className="sy-button"
                        onClick={() => setEditing({ mode: 'edit', id: provider.id })}
                      >
                        Edit
                      </button>
                      {props.onSetEnabled ? (
                        <button
                          type="button"
                          className="sy-button"
                          disabled={busy === provider.id}
                          onClick={() =>
                            void run(provider.id, () =>
                              props.onSetEnabled!(provider.id, !provider.enabled),
                            )
                          }
                        >
                          {provider.enabled ? 'Disable' : 'Enable'}
                        </button>
                      ) : null}
                      {props.onReorder ? (
                        <>
                          <button
                            type="button"
                            className="sy-button sy-button--icon"
                            aria-label={`Move ${provider.name} up`}
                            disabled={index === 0 || busy !== null}
                            onClick={() => move(index, -1)}
                          >
                            ↑
                          </button>
                          <button
                            type="button"
                            className="sy-button sy-button--icon"
                            aria-label={`Move ${provider.name} down`}
                            disabled={index === ordered.length - 1 || busy !== null}
                            onClick={() => move(index, 1)}
                          >
                            ↓
                          </button>
                        </>
                      ) : null}
                      {props.onDelete ? (
                        <ConfirmButton
                          label="Delete"
                          question={`Delete ${provider.name}?`}
                          confirmLabel="Yes, delete"
                          groupLabel={`Confirm deleting ${provider.name}`}
                          asking={confirmDelete === provider.id}
                          onAskingChange={(asking) => setConfirmDelete(asking ? provider.id : null)}
                          onConfirm={() =>
                            void run(provider.id, () => props.onDelete!(provider.id))
                          }
                        />
                      ) : null}
                    </>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The seed's name for the provider manager. */
export const CloudProviderManager = ProviderManager;
export type CloudProviderManagerProps = ProviderManagerProps;
