import {
  providerSchema,
  UpstreamError,
  type ChatRequest,
  type NativeStreamEvent,
  type ProviderAdapter,
  type StreamEvent,
} from '@switchyard/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { closeHttpAgent } from '../http/index.ts';
import { createOpenAIAdapter } from './openai-chat-model.ts';
import { unifiedFromResponse } from './openai-responses.ts';

let mock: OpenAIMock;
let adapter: ProviderAdapter;
const request: ChatRequest = { messages: [{ role: 'user', content: 'native please' }] };

function options() {
  return { signal: new AbortController().signal, deadline: Date.now() + 5_000 };
}

function native(body: string) {
  return { dialect: 'openai-responses' as const, body, headers: { 'openai-beta': 'x' } };
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const collected: StreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: 'k', models: ['gpt-real'] });
  adapter = createOpenAIAdapter(
    providerSchema.parse({
      id: 'oa',
      name: 'OpenAI',
      type: 'openai',
      endpoint: mock.url,
      apiKey: 'k',
    }),
  );
});
beforeEach(() => mock.reset());
afterAll(async () => {
  await mock.close();
  await closeHttpAgent();
});

describe('the Responses API spoken natively by the OpenAI adapter', () => {
  it('forwards the body with the model replaced and answers with it, usage read', async () => {
    const body = '{"model":"alias","input":"native please","store":false}';
    const response = await adapter.complete({
      request,
      model: 'gpt-real',
      options: options(),
      native: native(body),
    });
    expect(mock.requests[0]?.url).toBe('/v1/responses');
    expect(mock.requests[0]?.rawBody).toBe(
      '{"model":"gpt-real","input":"native please","store":false}',
    );
    expect(mock.requests[0]?.headers['openai-beta']).toBe('x');
    expect(JSON.parse(response.native!.body)).toMatchObject({
      object: 'response',
      model: 'gpt-real',
    });
    expect(response.choices[0]?.message.content).toBe('Echo: native please');
    expect(response.usage).toMatchObject({ inputTokens: 2, outputTokens: 3 });
  });

  it('streams the frames as they came, the output and the end marked', async () => {
    const body = '{"model":"alias","input":"a b c d","stream":true}';
    const events = await collect(
      await adapter.stream({
        request: { ...request, stream: true },
        model: 'gpt-real',
        options: { ...options(), firstTokenDeadline: Date.now() + 5_000 },
        native: native(body),
      }),
    );
    const frames = events.filter((event): event is NativeStreamEvent => event.type === 'native');
    expect(frames).toHaveLength(events.length);
    expect(frames[0]?.frame).toMatch(/^event: response.created\ndata: \{"type":"response.created"/);
    expect(frames[0]?.hasOutput).toBe(false);
    expect(
      frames.some((frame) => frame.hasOutput && frame.frame.includes('output_text.delta')),
    ).toBe(true);
    expect(frames.at(-1)).toMatchObject({
      finish: { unified: 'stop' },
      usage: { outputTokens: 5 },
    });
  });

  it('ends a stream that fails with an error event', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const events = await collect(
      await adapter.stream({
        request: { ...request, stream: true },
        model: 'gpt-real',
        options: { ...options(), firstTokenDeadline: Date.now() + 5_000 },
        native: native('{"input":"a b","stream":true}'),
      }),
    );
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.error).toBeInstanceOf(UpstreamError);
  });

  it('serves calls without a Responses body through chat completions', async () => {
    const response = await adapter.complete({ request, model: 'gpt-real', options: options() });
    expect(mock.requests[0]?.url).toBe('/v1/chat/completions');
    expect(response.native).toBeUndefined();
  });
});

describe('unifiedFromResponse', () => {
  it('reads calls and an incomplete status', () => {
    const unified = unifiedFromResponse({
      id: 'resp_1',
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' }],
      usage: { input_tokens: 1, output_tokens: 2, output_tokens_details: { reasoning_tokens: 1 } },
    });
    expect(unified.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } },
    ]);
    expect(unified.choices[0]?.finishReason).toEqual({
      unified: 'length',
      raw: 'max_output_tokens',
    });
    expect(unified.usage).toMatchObject({ totalTokens: 3, reasoningTokens: 1 });
  });
});
