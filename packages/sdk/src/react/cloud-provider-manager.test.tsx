// @vitest-environment jsdom
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSeedServices, type SeedServices } from '../seed-services.ts';
import type { CloudConfig } from '../seed-types.ts';
import { CloudProviderManager } from './cloud-provider-manager.tsx';

let directory: string;
let services: SeedServices;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'sdk-manager-'));
  const configFile = join(directory, 'cloud-config.json');
  // No background checks: the tests decide when a provider is tested.
  writeFileSync(configFile, JSON.stringify({ enableHealthMonitoring: false, providers: [] }));
  services = createSeedServices({
    env: { OPENAI_API_KEY: 'sk-from-env', LM_STUDIO_URL: 'http://127.0.0.1:1' },
    configFile,
  });
});

afterEach(async () => {
  cleanup();
  await services.close();
  rmSync(directory, { recursive: true, force: true });
});

function row(providerId: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-provider="${providerId}"]`);
  if (!element) throw new Error(`no row for ${providerId}`);
  return element;
}

/** The name a row shows in bold (the type's label is shown beside it). */
function shownName(providerId: string): string | null | undefined {
  return row(providerId).querySelector('strong')?.textContent;
}

function lastConfig(listener: ReturnType<typeof vi.fn<(config: CloudConfig) => void>>) {
  return listener.mock.calls.at(-1)?.[0];
}

describe('CloudProviderManager bound to the cloudConfigService', () => {
  it("shows the service's providers, with secrets only as flags", () => {
    render(<CloudProviderManager services={services} />);
    expect(shownName('lmstudio')).toBe('LM Studio (local)');
    expect(shownName('openai')).toBe('OpenAI');
    expect(within(row('openai')).getByText('API key •••• set')).toBeTruthy();
    expect(document.body.textContent).not.toContain('sk-from-env');
  });

  it('adds a provider through the form: addProvider, then onConfigChange with the new CloudConfig', async () => {
    const addProvider = vi.spyOn(services.cloudConfigService, 'addProvider');
    const onConfigChange = vi.fn<(config: CloudConfig) => void>();
    render(<CloudProviderManager services={services} onConfigChange={onConfigChange} />);

    fireEvent.change(screen.getByLabelText('Add a provider'), { target: { value: 'openai' } });
    fireEvent.click(screen.getByRole('button', { name: 'New provider' }));
    const form = screen.getByRole('form', { name: 'Add OpenAI provider' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'My OpenAI' } });
    fireEvent.change(within(form).getByLabelText(/^API key/), { target: { value: 'sk-mine' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add provider' }));

    await waitFor(() => expect(row('my-openai')).toBeTruthy());
    expect(addProvider).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'my-openai', name: 'My OpenAI', apiKey: 'sk-mine' }),
    );
    expect(lastConfig(onConfigChange)?.providers.map((provider) => provider.id)).toEqual([
      'lmstudio',
      'openai',
      'my-openai',
    ]);
    expect(services.cloudConfigService.getProvider('my-openai')?.type).toBe('openai');
  });

  it('shows the field the service refused, and stores nothing', async () => {
    const onConfigChange = vi.fn<(config: CloudConfig) => void>();
    render(<CloudProviderManager services={services} onConfigChange={onConfigChange} />);
    fireEvent.change(screen.getByLabelText('Add a provider'), { target: { value: 'openai' } });
    fireEvent.click(screen.getByRole('button', { name: 'New provider' }));
    const form = screen.getByRole('form', { name: 'Add OpenAI provider' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Spaced' } });
    fireEvent.change(within(form).getByLabelText('Id'), { target: { value: 'spaced id' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add provider' }));

    const alert = await within(form).findByText(/^may contain letters, digits/);
    expect(alert.id).toMatch(/-id-error$/);
    expect(services.cloudConfigService.getConfig().providers.map((p) => p.id)).toEqual([
      'lmstudio',
      'openai',
    ]);
    expect(onConfigChange).not.toHaveBeenCalled();
  });

  it('follows changes made elsewhere through the change listener', async () => {
    const onConfigChange = vi.fn<(config: CloudConfig) => void>();
    render(<CloudProviderManager services={services} onConfigChange={onConfigChange} />);
    await act(() => services.cloudConfigService.updateProvider('openai', { name: 'Team OpenAI' }));
    expect(shownName('openai')).toBe('Team OpenAI');
    expect(lastConfig(onConfigChange)?.providers.find((p) => p.id === 'openai')?.name).toBe(
      'Team OpenAI',
    );
  });

  it('disables and deletes through the service', async () => {
    await services.cloudConfigService.addProvider({
      id: 'spare',
      name: 'Spare',
      type: 'openai',
      apiKey: 'sk-spare',
    });
    render(<CloudProviderManager services={services} />);
    fireEvent.click(within(row('spare')).getByRole('button', { name: 'Disable' }));
    await waitFor(() =>
      expect(services.cloudConfigService.getProvider('spare')?.enabled).toBe(false),
    );
    fireEvent.click(within(row('spare')).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(row('spare')).getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(document.querySelector('[data-provider="spare"]')).toBeNull());
    expect(services.cloudConfigService.getProvider('spare')).toBeUndefined();
  });

  it('tests a provider with the cloudInferenceService and shows why it failed', async () => {
    render(<CloudProviderManager services={services} />);
    fireEvent.click(within(row('lmstudio')).getByRole('button', { name: 'Test' }));
    const result = await within(row('lmstudio')).findByText(/^Test failed: /);
    expect(result.textContent).toMatch(/127\.0\.0\.1:1/);
  });
});
