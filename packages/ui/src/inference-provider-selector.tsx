'use client';
import { useId, useState } from 'react';
import type { HealthVerdict, InferenceProviderChoice } from './types.ts';
import { HealthBadge } from './health-badge.tsx';

export interface SelectorHealth {
  status: HealthVerdict;
  latencyMs?: number | null;
  detail?: string | null;
}

export interface InferenceProviderSelectorProps {
  /** Controlled value; leave undefined to let the component keep its own. */
  value?: InferenceProviderChoice;
  defaultValue?: InferenceProviderChoice;
  /** The seed's callback, called with the new choice. */
  onProviderChange?: (provider: InferenceProviderChoice) => void;
  autoFallback?: boolean;
  onAutoFallbackChange?: (enabled: boolean) => void;
  /** The seed's flag: show a health badge beside each choice. */
  showHealthStatus?: boolean;
  health?: Partial<Record<'lm-studio' | 'cloud', SelectorHealth>>;
  disabled?: boolean;
}

const CHOICES: ReadonlyArray<{
  value: InferenceProviderChoice;
  label: string;
  description: string;
}> = [
  {
    value: 'lm-studio',
    label: 'Local (LM Studio)',
    description: 'Answer from the local server first; cloud providers only as fallback.',
  },
  {
    value: 'cloud',
    label: 'Cloud',
    description: 'Answer from the cloud providers, in priority order.',
  },
  {
    value: 'auto',
    label: 'Auto',
    description: 'Pick the healthiest provider for each request, local or cloud.',
  },
];

function autoHealth(health: InferenceProviderSelectorProps['health']): SelectorHealth | undefined {
  const entries = [health?.['lm-studio'], health?.cloud].filter(
    (entry): entry is SelectorHealth => entry !== undefined,
  );
  if (entries.length === 0) return undefined;
  const best =
    entries.find((entry) => entry.status === 'healthy') ??
    entries.find((entry) => entry.status === 'degraded');
  return best ?? { status: 'down', detail: 'No provider is healthy' };
}

/** The seed's InferenceProviderSelector: default provider Local / Cloud / Auto and the auto-fallback toggle. */
export function InferenceProviderSelector({
  value,
  defaultValue = 'auto',
  onProviderChange,
  autoFallback,
  onAutoFallbackChange,
  showHealthStatus = false,
  health,
  disabled = false,
}: InferenceProviderSelectorProps) {
  const name = useId();
  const [own, setOwn] = useState<InferenceProviderChoice>(defaultValue);
  const current = value ?? own;

  const choose = (choice: InferenceProviderChoice) => {
    if (value === undefined) setOwn(choice);
    onProviderChange?.(choice);
  };

  return (
    <fieldset className="sy-selector" disabled={disabled}>
      <legend>Default inference provider</legend>
      {CHOICES.map((choice) => {
        const choiceHealth = choice.value === 'auto' ? autoHealth(health) : health?.[choice.value];
        return (
          <label
            key={choice.value}
            className={`sy-selector__option ${current === choice.value ? 'sy-selector__option--active' : ''}`}
          >
            <input
              type="radio"
              name={name}
              value={choice.value}
              checked={current === choice.value}
              onChange={() => choose(choice.value)}
            />
            <span className="sy-selector__text">
              <span className="sy-selector__label">
                {choice.label}
                {showHealthStatus ? (
                  <HealthBadge
                    status={choiceHealth?.status ?? 'unknown'}
                    latencyMs={choiceHealth?.latencyMs ?? null}
                    detail={choiceHealth?.detail ?? null}
                  />
                ) : null}
              </span>
              <span className="sy-hint">{choice.description}</span>
            </span>
          </label>
        );
      })}
      {autoFallback !== undefined ? (
        <label className="sy-check">
          <input
            type="checkbox"
            checked={autoFallback}
            onChange={(event) => onAutoFallbackChange?.(event.target.checked)}
          />
          Fall back automatically to the other providers when the default one fails
        </label>
      ) : null}
    </fieldset>
  );
}
