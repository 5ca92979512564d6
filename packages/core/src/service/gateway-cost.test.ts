// Costs on the request event: the catalogue prices models that have none of their own, the
// provider's own prices win, and after a fallback the model that answered is the one billed.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import type { RequestOutcome } from '../metrics/gateway-events.ts';
import type { PriceCatalogue } from '../pricing/price-catalogue.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { Gateway } from './gateway.ts';

const catalogue: PriceCatalogue = {
  asOf: '2025-11-01',
  currency: 'USD',
  unit: 'per-million-tokens',
  vendors: {
    scripted: {
      source: 'test',
      providerTypes: ['openai-compatible'],
      models: {
        'big-model': { input: 10, output: 30 },
        'small-model': { input: 1, output: 2 },
      },
    },
  },
};

const request: ChatRequest = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };

function setup(primary: ScriptedAdapter, backup: ScriptedAdapter, ownPrice?: number) {
  const registry = scriptedRegistry({ primary, backup });
  const config = parseConfig(
    {
      providers: [
        {
          id: 'primary',
          name: 'Primary',
          type: 'openai-compatible',
          endpoint: 'http://127.0.0.1:9',
          models: [{ name: 'big-model' }],
        },
        {
          id: 'backup',
          name: 'Backup',
          type: 'openai-compatible',
          endpoint: 'http://127.0.0.1:9',
          models: [
            ownPrice === undefined
              ? { name: 'small-model' }
              : { name: 'small-model', inputPricePerMTok: ownPrice, outputPricePerMTok: ownPrice },
          ],
        },
      ],
      routes: [
        {
          name: 'chat',
          strategy: 'priority',
          targets: [
            { provider: 'primary', model: 'big-model' },
            { provider: 'backup', model: 'small-model' },
          ],
        },
      ],
      retryAttempts: 0,
    },
    registry,
  );
  const gateway = new Gateway({ config, adapters: registry, monitorHealth: false });
  gateway.setPriceCatalogue(catalogue);
  const events: RequestOutcome[] = [];
  gateway.events.on('request', (outcome) => events.push(outcome));
  return { gateway, events };
}

const overloaded = { fail: { kind: 'overloaded' as const, status: 529, retryable: true } };

describe('request costs', () => {
  it('prices a model without prices of its own from the catalogue', async () => {
    const { gateway, events } = setup(
      new ScriptedAdapter('primary', [{ answer: 'hi', usage: [1_000, 500] }]),
      new ScriptedAdapter('backup'),
    );
    await (
      await gateway.complete(request)
    ).done;
    expect(events[0]?.provider).toBe('primary');
    expect(events[0]?.costUsd).toBeCloseTo((1_000 * 10 + 500 * 30) / 1e6, 12);
  });

  it('bills the model that answered after a fallback, not the one first tried', async () => {
    const { gateway, events } = setup(
      new ScriptedAdapter('primary', [overloaded]),
      new ScriptedAdapter('backup', [{ answer: 'hi', usage: [1_000, 500] }]),
    );
    await (
      await gateway.complete(request)
    ).done;
    expect(events[0]?.provider).toBe('backup');
    expect(events[0]?.model).toBe('small-model');
    expect(events[0]?.attempts).toBe(2);
    expect(events[0]?.costUsd).toBeCloseTo((1_000 * 1 + 500 * 2) / 1e6, 12);
  });

  it('bills a stream that fell back at the answering model', async () => {
    const { gateway, events } = setup(
      new ScriptedAdapter('primary', [{ stream: [], errorBeforeFirst: 'overloaded' }]),
      new ScriptedAdapter('backup', [{ stream: ['a', 'b', 'c'] }]),
    );
    const result = await gateway.stream(request);
    for await (const event of result.output) void event;
    await result.done;
    expect(events[0]?.provider).toBe('backup');
    // The scripted stream reports 10 prompt tokens and one output token per piece.
    expect(events[0]?.costUsd).toBeCloseTo((10 * 1 + 3 * 2) / 1e6, 12);
  });

  it("uses the provider model's own price over the catalogue", async () => {
    const { gateway, events } = setup(
      new ScriptedAdapter('primary', [overloaded]),
      new ScriptedAdapter('backup', [{ answer: 'hi', usage: [1_000_000, 0] }]),
      7,
    );
    await (
      await gateway.complete(request)
    ).done;
    expect(events[0]?.costUsd).toBeCloseTo(7, 12);
  });

  it('leaves the cost empty without a catalogue or prices', async () => {
    const { gateway, events } = setup(
      new ScriptedAdapter('primary', [{ answer: 'hi' }]),
      new ScriptedAdapter('backup'),
    );
    gateway.setPriceCatalogue(undefined);
    await (
      await gateway.complete(request)
    ).done;
    expect(events[0]?.costUsd).toBeUndefined();
  });
});
