import { describe, expect, it } from 'vitest';
import type { ProviderRecord } from '@switchyard/db';
import { costOf } from './playground.ts';

const provider = {
  id: 'openai',
  models: [
    { name: 'chat', id: 'gpt-4o-mini', inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 },
    { name: 'free', id: 'local' },
  ],
} as unknown as ProviderRecord;

describe('costOf', () => {
  it('prices usage by the served model, found by vendor id or public name', () => {
    expect(
      costOf(provider, 'gpt-4o-mini', undefined, { inputTokens: 1_000_000, outputTokens: 500_000 }),
    ).toBeCloseTo(0.45);
    expect(
      costOf(provider, 'gpt-4o-mini-2024-07-18', 'chat', {
        inputTokens: 2_000_000,
        outputTokens: 0,
      }),
    ).toBeCloseTo(0.3);
  });

  it('says nothing rather than a wrong number when no price is known', () => {
    expect(costOf(provider, 'local', undefined, { inputTokens: 10, outputTokens: 10 })).toBeNull();
    expect(
      costOf(provider, 'unknown', undefined, { inputTokens: 10, outputTokens: 10 }),
    ).toBeNull();
    expect(
      costOf(undefined, 'gpt-4o-mini', undefined, { inputTokens: 10, outputTokens: 10 }),
    ).toBeNull();
    expect(costOf(provider, 'gpt-4o-mini', undefined, null)).toBeNull();
  });
});
