import { describe, expect, it } from 'vitest';
import { PriceBook, usageCost } from './price-book.ts';
import { newerCatalogue, priceCatalogueSchema, type PriceCatalogue } from './price-catalogue.ts';

const catalogue: PriceCatalogue = {
  asOf: '2025-11-01',
  currency: 'USD',
  unit: 'per-million-tokens',
  vendors: {
    anthropic: {
      source: 'test',
      providerTypes: ['anthropic'],
      models: {
        'claude-sonnet-4-5-20250929': {
          input: 3,
          output: 15,
          cachedInput: 0.3,
          cacheWrite: 3.75,
          aliases: ['claude-sonnet-4-5'],
        },
      },
    },
    bedrock: {
      source: 'test',
      providerTypes: ['bedrock'],
      models: { 'anthropic.claude-3-5-haiku-20241022-v1:0': { input: 0.8, output: 4 } },
    },
    openai: {
      source: 'test',
      providerTypes: ['openai', 'azure'],
      models: { 'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 } },
    },
    reseller: {
      source: 'test',
      providerTypes: ['reseller'],
      models: { 'gpt-4o-mini': { input: 9, output: 9 } },
    },
  },
};

const openai = { type: 'openai' };

describe('usageCost', () => {
  it('bills cache reads at the cached price, not the input price', () => {
    const cost = usageCost(
      { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
      { inputTokens: 10_000, outputTokens: 0, totalTokens: 10_000, cachedInputTokens: 8_000 },
    );
    // 2,000 uncached at $3 + 8,000 cached at $0.30, per million.
    expect(cost).toBeCloseTo((2_000 * 3 + 8_000 * 0.3) / 1e6, 12);
    expect(cost).toBeLessThan((10_000 * 3) / 1e6);
  });

  it('bills every cache-write token at the cache-write price, on top of uncached input', () => {
    // A first request that writes 50,000 tokens to the cache (Anthropic's 1.25× of input).
    const cost = usageCost(
      { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
      {
        inputTokens: 50_100,
        outputTokens: 200,
        totalTokens: 50_300,
        cacheWriteInputTokens: 50_000,
      },
    );
    const expected = (100 * 3 + 50_000 * 3.75 + 200 * 15) / 1e6;
    expect(cost).toBeCloseTo(expected, 12);
    // Billing the written tokens as plain input would under-count the request by 20 %.
    expect((100 * 3 + 50_000 * 3 + 200 * 15) / 1e6).toBeLessThan(expected * 0.81);
  });

  it('bills reads and writes of one request each at their own price', () => {
    const cost = usageCost(
      { input: 1, output: 2, cachedInput: 0.1, cacheWrite: 1.25 },
      {
        inputTokens: 1_000,
        outputTokens: 10,
        totalTokens: 1_010,
        cachedInputTokens: 600,
        cacheWriteInputTokens: 300,
      },
    );
    expect(cost).toBeCloseTo((100 * 1 + 600 * 0.1 + 300 * 1.25 + 10 * 2) / 1e6, 12);
  });

  it('bills reasoning tokens at the output price unless a reasoning price is listed', () => {
    const usage = { inputTokens: 0, outputTokens: 1_000, totalTokens: 1_000, reasoningTokens: 800 };
    expect(usageCost({ input: 1, output: 10 }, usage)).toBeCloseTo(0.01, 12);
    expect(usageCost({ input: 1, output: 10, reasoning: 20 }, usage)).toBeCloseTo(
      (200 * 10 + 800 * 20) / 1e6,
      12,
    );
  });

  it('never bills a negative count when a vendor reports more cached than prompt tokens', () => {
    const cost = usageCost(
      { input: 1, output: 1, cachedInput: 0.5 },
      { inputTokens: 10, outputTokens: 0, totalTokens: 10, cachedInputTokens: 20 },
    );
    expect(cost).toBeCloseTo((20 * 0.5) / 1e6, 12);
  });
});

describe('PriceBook', () => {
  const book = new PriceBook(catalogue);

  it('gives a model without prices of its own the catalogue price', () => {
    const priced = book.pricesFor(openai, 'gpt-4o-mini', { name: 'mini', id: 'gpt-4o-mini' });
    expect(priced).toEqual({
      source: 'catalogue',
      prices: { input: 0.15, output: 0.6, cachedInput: 0.075 },
    });
  });

  it('lets the provider model prices win over the catalogue', () => {
    const priced = book.pricesFor(openai, 'gpt-4o-mini', {
      name: 'gpt-4o-mini',
      inputPricePerMTok: 1,
      outputPricePerMTok: 2,
    });
    expect(priced).toEqual({ source: 'model', prices: { input: 1, output: 2 } });
  });

  it("prefers the vendor of the provider's type when two vendors list the same id", () => {
    expect(book.pricesFor({ type: 'reseller' }, 'gpt-4o-mini', undefined)?.prices.input).toBe(9);
    expect(book.pricesFor({ type: 'azure' }, 'gpt-4o-mini', undefined)?.prices.input).toBe(0.15);
  });

  it('finds aliases, Bedrock inference profiles and Gemini resource names', () => {
    expect(book.catalogueFor('anthropic', 'claude-sonnet-4-5')?.input).toBe(3);
    expect(book.catalogueFor('bedrock', 'us.anthropic.claude-3-5-haiku-20241022-v1:0')?.input).toBe(
      0.8,
    );
    expect(book.catalogueFor('gemini', 'models/gpt-4o-mini')?.input).toBeDefined();
  });

  it('prices nothing for local servers and unknown models', () => {
    expect(
      book.pricesFor({ type: 'openai', local: true }, 'gpt-4o-mini', undefined),
    ).toBeUndefined();
    expect(
      book.costOf(openai, 'my-finetune', undefined, {
        inputTokens: 1,
        outputTokens: 1,
        totalTokens: 2,
      }),
    ).toBeUndefined();
    expect(new PriceBook(undefined).pricesFor(openai, 'gpt-4o-mini', undefined)).toBeUndefined();
  });
});

describe('the catalogue file', () => {
  it('is validated, naming the field that is wrong', () => {
    const result = priceCatalogueSchema.safeParse({ ...catalogue, asOf: 'yesterday' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['asOf']);
    const negative = structuredClone(catalogue) as unknown as {
      vendors: { openai: { models: { 'gpt-4o-mini': { input: number } } } };
    };
    negative.vendors.openai.models['gpt-4o-mini'].input = -1;
    expect(priceCatalogueSchema.safeParse(negative).success).toBe(false);
  });

  it('is replaced only by a newer asOf', () => {
    const newer = { ...catalogue, asOf: '2026-01-01' };
    const older = { ...catalogue, asOf: '2024-01-01' };
    expect(newerCatalogue(catalogue, newer)).toBe(newer);
    expect(newerCatalogue(catalogue, older)).toBe(catalogue);
    expect(newerCatalogue(undefined, older)).toBe(older);
  });
});
