import { describe, expect, it } from 'vitest';
import { builtInPriceCatalogue } from '@switchyard/adapters';
import { PriceBook, type ProviderConfig } from '@switchyard/core';
import { costOf as costWith } from './playground.ts';

const provider = {
  id: 'openai',
  type: 'openai',
  models: [
    { name: 'chat', id: 'gpt-4o-mini', inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 },
    { name: 'free', id: 'local' },
    { name: 'listed', id: 'gpt-4.1' },
  ],
} as unknown as ProviderConfig;
const prices = new PriceBook(builtInPriceCatalogue());
const costOf = (
  ...args: Parameters<typeof costWith> extends [unknown, ...infer Rest] ? Rest : never
) => costWith(prices, ...args);

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

  it('prices a model without its own price from the catalogue, as the request log does', () => {
    const listed = builtInPriceCatalogue().vendors.openai?.models['gpt-4.1'];
    expect(listed).toBeDefined();
    expect(
      costOf(provider, 'gpt-4.1', undefined, { inputTokens: 1_000_000, outputTokens: 1_000_000 }),
    ).toBeCloseTo((listed?.input ?? NaN) + (listed?.output ?? NaN));
  });

  it('says nothing rather than a wrong number when no price is known', () => {
    expect(
      costOf(provider, 'unknown-model', undefined, { inputTokens: 10, outputTokens: 10 }),
    ).toBeNull();
    expect(
      costOf(undefined, 'gpt-4o-mini', undefined, { inputTokens: 10, outputTokens: 10 }),
    ).toBeNull();
    expect(costOf(provider, 'gpt-4o-mini', undefined, null)).toBeNull();
  });
});
