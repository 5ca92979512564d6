import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import { Gateway } from '../service/gateway.ts';
import type { ChatResponse } from '../spec/chat-response.ts';
import type { AdapterCall } from '../spec/provider-adapter.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { countEmbeddingTokens, countUsage } from './token-count.ts';

describe('countUsage', () => {
  it('counts prompt and answer tokens with the o200k tokenizer, marked estimated', async () => {
    const usage = await countUsage(
      { model: 'm', messages: [{ role: 'user', content: 'Hello, world!' }] },
      'Hello, world!',
    );
    // "Hello, world!" is 4 tokens; each message adds 3, the reply priming 3.
    expect(usage).toEqual({ inputTokens: 10, outputTokens: 4, totalTokens: 14, estimated: true });
  });

  it('counts tool definitions and earlier tool calls in the prompt', async () => {
    const plain = await countUsage({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, '');
    const withTools = await countUsage(
      {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
      },
      '',
    );
    expect(withTools.inputTokens).toBeGreaterThan(plain.inputTokens);
  });
});

/** A local server that answers without any usage. */
class NoUsage extends ScriptedAdapter {
  override async complete(call: AdapterCall): Promise<ChatResponse> {
    const response = await super.complete(call);
    delete response.usage;
    return response;
  }
}

describe('countEmbeddingTokens', () => {
  it('counts text with the o200k tokenizer and token ids as themselves', async () => {
    // "hello world" is 2 tokens, "Hello, world!" 4; four characters a token would say 3 and 4
    expect(await countEmbeddingTokens(['hello world', 'Hello, world!', [7, 8, 9]])).toBe(9);
    expect(await countEmbeddingTokens([])).toBe(0);
  });
});

describe('a whole answer without usage', () => {
  it('gets a counted usage, marked estimated', async () => {
    const adapters = scriptedRegistry({ a: new NoUsage('a') });
    const config = parseConfig(
      {
        providers: [
          { id: 'a', name: 'a', type: 'openai-compatible', endpoint: 'http://127.0.0.1:9' },
        ],
        routes: [{ name: 'chat', targets: [{ provider: 'a' }] }],
      },
      adapters,
    );
    const gateway = new Gateway({ config, adapters, monitorHealth: false });
    try {
      const result = await gateway.complete({
        model: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(result.output.usage).toMatchObject({ estimated: true });
      expect(result.output.usage?.outputTokens).toBeGreaterThan(0);
      expect((await result.done).outputTokens).toBe(result.output.usage?.outputTokens);
    } finally {
      await gateway.close();
    }
  });
});
