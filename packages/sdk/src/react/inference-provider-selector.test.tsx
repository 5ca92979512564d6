// @vitest-environment jsdom
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { createSeedServices, type SeedServices } from '../seed-services.ts';
import { InferenceProviderSelector } from './inference-provider-selector.tsx';

let openai: OpenAIMock;
let directory: string;
let services: SeedServices;

beforeAll(async () => {
  openai = await startOpenAIMock({ apiKey: 'sk-cloud' });
});
afterAll(async () => {
  await openai.close();
  await closeHttpAgent();
});

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'sdk-selector-'));
  const configFile = join(directory, 'cloud-config.json');
  // No background checks: the tests decide when a provider is tested.
  writeFileSync(configFile, JSON.stringify({ enableHealthMonitoring: false, providers: [] }));
  services = createSeedServices({
    env: {
      OPENAI_API_KEY: 'sk-cloud',
      OPENAI_ENDPOINT: openai.url,
      // Nothing listens there: the local server is down.
      LM_STUDIO_URL: 'http://127.0.0.1:1',
    },
    configFile,
  });
});

afterEach(async () => {
  cleanup();
  await services.close();
  rmSync(directory, { recursive: true, force: true });
});

const radio = (name: RegExp) => screen.getByRole<HTMLInputElement>('radio', { name });

/** The badge inside the choice whose label starts with `label`. */
function badgeOf(label: RegExp): string | null | undefined {
  return radio(label).closest('label')?.querySelector('[data-status]')?.getAttribute('data-status');
}

describe('InferenceProviderSelector bound to the inferenceService', () => {
  it('switches the service and calls onProviderChange', () => {
    const switchProvider = vi.spyOn(services.inferenceService, 'switchProvider');
    const onProviderChange = vi.fn();
    render(<InferenceProviderSelector services={services} onProviderChange={onProviderChange} />);
    expect(radio(/^Auto/).checked).toBe(true);

    fireEvent.click(radio(/^Cloud/));
    expect(switchProvider).toHaveBeenCalledWith('cloud');
    expect(onProviderChange).toHaveBeenCalledWith('cloud');
    expect(services.inferenceService.getProvider()).toBe('cloud');
    expect(radio(/^Cloud/).checked).toBe(true);
  });

  it("starts from the service's current provider", () => {
    services.inferenceService.switchProvider('lm-studio');
    render(<InferenceProviderSelector services={services} />);
    expect(radio(/^Local \(LM Studio\)/).checked).toBe(true);
    expect(screen.queryByText(/Requests currently default to the provider/)).toBeNull();
  });

  it('says which provider requests go to when one was chosen by id', () => {
    services.inferenceService.switchProvider('openai');
    render(<InferenceProviderSelector services={services} />);
    expect(screen.getByText('openai').closest('p')?.textContent).toMatch(
      /^Requests currently default to the provider openai/,
    );
  });

  it('with showHealthStatus, shows the lm-studio and cloud health from getHealthStatus()', async () => {
    expect(await services.inferenceService.testProvider('lm-studio')).toBe(false);
    expect(await services.inferenceService.testProvider('cloud')).toBe(true);
    render(<InferenceProviderSelector services={services} showHealthStatus />);
    await waitFor(() => expect(badgeOf(/^Local \(LM Studio\)/)).toBe('down'));
    expect(badgeOf(/^Cloud/)).toBe('healthy');
    // Auto answers from whichever group is healthy.
    expect(badgeOf(/^Auto/)).toBe('healthy');
  });

  it('without showHealthStatus, shows no badge and asks for no health', () => {
    const getHealthStatus = vi.spyOn(services.inferenceService, 'getHealthStatus');
    render(<InferenceProviderSelector services={services} />);
    expect(document.querySelector('[data-status]')).toBeNull();
    expect(getHealthStatus).not.toHaveBeenCalled();
  });
});
