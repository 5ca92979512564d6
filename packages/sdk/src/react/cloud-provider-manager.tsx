'use client';
// The seed's <CloudProviderManager onConfigChange={…} />: @switchyard/ui's provider manager bound to
// the cloudConfigService, so the seed's JSX works as written. It lists the service's providers,
// adds, edits, enables, reorders and removes them through it, offers its templates, tests a
// provider with the cloudInferenceService, and follows every change, also those made elsewhere.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ProviderManager, type ProviderTestSummary } from '@switchyard/ui';
import { cloudConfigService, cloudInferenceService, type SeedServices } from '../seed-services.ts';
import type { CloudConfig } from '../seed-types.ts';
import {
  asActionResult,
  toProviderView,
  toServicePatch,
  toTemplateView,
} from './provider-views.ts';

export type ProviderManagerServices = Pick<
  SeedServices,
  'cloudConfigService' | 'cloudInferenceService'
>;

export interface CloudProviderManagerProps {
  /** The seed's callback: the new CloudConfig after every change, wherever it was made. */
  onConfigChange?: (config: CloudConfig) => void;
  /** Shows the providers and their tests, offers no changes. */
  readOnly?: boolean;
  /** The services to work on; the package's ready-made ones when left out. */
  services?: ProviderManagerServices;
}

const READY_MADE: ProviderManagerServices = { cloudConfigService, cloudInferenceService };

/** The CloudConfig the service holds now, kept up to date through its change listener. */
function useCloudConfig(
  service: ProviderManagerServices['cloudConfigService'],
  onConfigChange: CloudProviderManagerProps['onConfigChange'],
): CloudConfig {
  const [config, setConfig] = useState(() => service.getConfig());
  const onConfigChangeRef = useRef(onConfigChange);
  onConfigChangeRef.current = onConfigChange;
  useEffect(() => {
    const unsubscribe = service.onChange((next) => {
      setConfig(next);
      onConfigChangeRef.current?.(next);
    });
    // A change between the first render and this subscription is not lost.
    setConfig(service.getConfig());
    return unsubscribe;
  }, [service]);
  return config;
}

export function CloudProviderManager({
  onConfigChange,
  readOnly = false,
  services = READY_MADE,
}: CloudProviderManagerProps) {
  const configService = services.cloudConfigService;
  const config = useCloudConfig(configService, onConfigChange);
  const templates = useMemo(() => configService.getTemplates(), [configService]);
  const templateViews = useMemo(() => templates.map(toTemplateView), [templates]);
  const providers = config.providers.map((provider) => toProviderView(provider, templates));

  /** Priorities follow the new order; only the providers whose place changed are written. */
  async function reorder(ids: string[]) {
    for (const [index, id] of ids.entries()) {
      const priority = index + 1;
      if (configService.getProvider(id)?.priority !== priority)
        await configService.updateProvider(id, { priority });
    }
  }

  async function test(id: string): Promise<ProviderTestSummary> {
    const provider = configService.getProvider(id);
    if (!provider) return { ok: false, error: `no provider with id "${id}"` };
    const health = await services.cloudInferenceService.testProvider(provider);
    return {
      ok: health.isHealthy,
      ...(health.responseTime !== undefined ? { latencyMs: health.responseTime } : {}),
      ...(health.error !== undefined ? { error: health.error } : {}),
    };
  }

  return (
    <ProviderManager
      providers={providers}
      templates={templateViews}
      readOnly={readOnly}
      onCreate={(input) => asActionResult(() => configService.addProvider(input))}
      onUpdate={(id, patch) =>
        asActionResult(() => configService.updateProvider(id, toServicePatch(patch)))
      }
      onDelete={(id) => asActionResult(() => configService.removeProvider(id))}
      onSetEnabled={(id, enabled) =>
        asActionResult(() => configService.updateProvider(id, { enabled }))
      }
      onReorder={(ids) => asActionResult(() => reorder(ids))}
      onTest={test}
    />
  );
}
