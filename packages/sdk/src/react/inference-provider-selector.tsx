'use client';
// The seed's <InferenceProviderSelector onProviderChange={…} showHealthStatus />: @switchyard/ui's
// selector bound to the inferenceService. A choice switches the service's default provider;
// with showHealthStatus, the `lm-studio` and `cloud` badges come from its getHealthStatus().
import { useEffect, useState } from 'react';
import {
  InferenceProviderSelector as ProviderSelector,
  type InferenceProviderChoice,
} from '@switchyard/ui';
import { inferenceService, type SeedServices } from '../seed-services.ts';
import { asChoice, toGroupHealth, type GroupHealth } from './provider-views.ts';

export type ProviderSelectorServices = Pick<SeedServices, 'inferenceService'>;

export interface InferenceProviderSelectorProps {
  /** The seed's callback, called with the new choice once the service has switched to it. */
  onProviderChange?: (provider: InferenceProviderChoice) => void;
  /** The seed's flag: a health badge beside each choice. */
  showHealthStatus?: boolean;
  /** How often the badges are refreshed (ms). */
  healthRefreshInterval?: number;
  disabled?: boolean;
  /** The services to work on; the package's ready-made ones when left out. */
  services?: ProviderSelectorServices;
}

const READY_MADE: ProviderSelectorServices = { inferenceService };

/** The service's group health, read now and every `interval` ms while `enabled`. */
function useGroupHealth(
  service: ProviderSelectorServices['inferenceService'],
  enabled: boolean,
  interval: number,
): GroupHealth {
  const [health, setHealth] = useState<GroupHealth>({});
  useEffect(() => {
    if (!enabled) return;
    let active = true;
    const refresh = () =>
      void service.getHealthStatus().then((status) => {
        if (active) setHealth(toGroupHealth(status));
      });
    refresh();
    const timer = setInterval(refresh, interval);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, [service, enabled, interval]);
  return health;
}

export function InferenceProviderSelector({
  onProviderChange,
  showHealthStatus = false,
  healthRefreshInterval = 30_000,
  disabled = false,
  services = READY_MADE,
}: InferenceProviderSelectorProps) {
  const service = services.inferenceService;
  const [selection, setSelection] = useState(() => service.getProvider());
  const health = useGroupHealth(service, showHealthStatus, healthRefreshInterval);

  const choose = (choice: InferenceProviderChoice) => {
    service.switchProvider(choice);
    setSelection(choice);
    onProviderChange?.(choice);
  };

  const choice = asChoice(selection);
  return (
    <>
      {choice === undefined ? (
        // As on the dashboard: a provider chosen by id (switchProvider('openai')) is none of the
        // three groups, so say which it is.
        <p className="sy-hint">
          Requests currently default to the provider <code>{selection}</code>; pick a group below to
          change that.
        </p>
      ) : null}
      <ProviderSelector
        value={choice}
        onProviderChange={choose}
        showHealthStatus={showHealthStatus}
        health={health}
        disabled={disabled}
      />
    </>
  );
}
