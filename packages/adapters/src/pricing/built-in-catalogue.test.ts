import { mapOpenAIUsage, PriceBook, usageCost } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { defaultDefinitions } from '../registry.ts';
import { builtInPriceCatalogue } from './built-in-catalogue.ts';
import { mapAnthropicUsage } from '../anthropic/map-anthropic-usage.ts';
import { mapBedrockUsage } from '../bedrock/map-bedrock-usage.ts';
import { mapGeminiUsage } from '../gemini/map-gemini-response.ts';

describe('the built-in price catalogue', () => {
  const catalogue = builtInPriceCatalogue();
  const book = new PriceBook(catalogue);

  it('is dated, and says per vendor where its prices come from', () => {
    expect(catalogue.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(catalogue.vendors).sort()).toEqual([
      'anthropic',
      'bedrock',
      'cohere',
      'gemini',
      'openai',
    ]);
    for (const vendor of Object.values(catalogue.vendors))
      expect(vendor.source.length).toBeGreaterThan(20);
  });

  it('names only provider types the adapters define', () => {
    const known = new Set(defaultDefinitions.flatMap((definition) => definition.types));
    for (const vendor of Object.values(catalogue.vendors))
      for (const type of vendor.providerTypes) expect(known.has(type), type).toBe(true);
  });

  it('prices a cache read below, and a cache write above, the input price', () => {
    for (const vendor of Object.values(catalogue.vendors))
      for (const prices of Object.values(vendor.models)) {
        if (prices.cachedInput !== undefined) expect(prices.cachedInput).toBeLessThan(prices.input);
        if (prices.cacheWrite !== undefined)
          expect(prices.cacheWrite).toBeGreaterThan(prices.input);
      }
  });

  it('bills an Anthropic cache write at 1.25x and a cache read at 0.1x of input', () => {
    const prices = book.pricesFor({ type: 'anthropic' }, 'claude-sonnet-4-5', undefined)?.prices;
    expect(prices).toBeDefined();
    if (!prices) return;
    const write = mapAnthropicUsage({
      input_tokens: 20,
      cache_creation_input_tokens: 10_000,
      cache_read_input_tokens: 0,
      output_tokens: 100,
    });
    expect(usageCost(prices, write)).toBeCloseTo((20 * 3 + 10_000 * 3.75 + 100 * 15) / 1e6, 12);
    const read = mapAnthropicUsage({
      input_tokens: 20,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 10_000,
      output_tokens: 100,
    });
    expect(usageCost(prices, read)).toBeCloseTo((20 * 3 + 10_000 * 0.3 + 100 * 15) / 1e6, 12);
  });

  it('bills Bedrock cache reads and writes the vendor reports outside inputTokens', () => {
    const usage = mapBedrockUsage({
      inputTokens: 12,
      outputTokens: 10,
      totalTokens: 12 + 10 + 1_500 + 500,
      cacheReadInputTokens: 1_500,
      cacheWriteInputTokens: 500,
    });
    expect(usage).toMatchObject({
      inputTokens: 2_012,
      cachedInputTokens: 1_500,
      cacheWriteInputTokens: 500,
    });
    const prices = book.pricesFor(
      { type: 'aws' },
      'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      undefined,
    )?.prices;
    expect(prices).toBeDefined();
    if (!prices) return;
    expect(usageCost(prices, usage)).toBeCloseTo(
      (12 * 0.8 + 1_500 * 0.08 + 500 * 1 + 10 * 4) / 1e6,
      12,
    );
  });

  it('keeps a Bedrock prompt that already includes its cached part as it is', () => {
    const usage = mapBedrockUsage({
      inputTokens: 20,
      outputTokens: 8,
      totalTokens: 28,
      cacheReadInputTokens: 4,
    });
    expect(usage).toMatchObject({ inputTokens: 20, cachedInputTokens: 4 });
  });

  it("bills OpenAI's cached tokens at the cached price and reasoning inside output", () => {
    const usage = mapOpenAIUsage({
      prompt_tokens: 2_000,
      completion_tokens: 1_000,
      total_tokens: 3_000,
      prompt_tokens_details: { cached_tokens: 1_024 },
      completion_tokens_details: { reasoning_tokens: 800 },
    });
    expect(usage).toMatchObject({ cachedInputTokens: 1_024, reasoningTokens: 800 });
    const prices = book.pricesFor({ type: 'openai' }, 'o4-mini', undefined)?.prices;
    expect(prices).toBeDefined();
    if (!prices || !usage) return;
    expect(usageCost(prices, usage)).toBeCloseTo(
      (976 * 1.1 + 1_024 * 0.275 + 1_000 * 4.4) / 1e6,
      12,
    );
  });

  it("bills Gemini's thinking tokens as output and cached content at the cached price", () => {
    const usage = mapGeminiUsage({
      promptTokenCount: 1_000,
      cachedContentTokenCount: 600,
      candidatesTokenCount: 50,
      thoughtsTokenCount: 200,
      totalTokenCount: 1_250,
    });
    expect(usage).toMatchObject({
      outputTokens: 250,
      reasoningTokens: 200,
      cachedInputTokens: 600,
    });
    const prices = book.pricesFor({ type: 'gcp' }, 'models/gemini-2.5-flash', undefined)?.prices;
    expect(prices).toBeDefined();
    if (!prices) return;
    expect(usageCost(prices, usage)).toBeCloseTo((400 * 0.3 + 600 * 0.075 + 250 * 2.5) / 1e6, 12);
  });
});
