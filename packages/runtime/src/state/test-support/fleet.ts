// Three gateways (in-process runtimes) sharing one state store, and the calls the fleet tests make.
import { pino } from 'pino';
import { defaultDefinitions } from '@switchyard/adapters';
import { parseConfig } from '@switchyard/core';
import type { OpenAIMock } from '@switchyard/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '../../runtime.ts';

export interface Fleet {
  runtimes: GatewayRuntime[];
  logs: string[][];
  close(): Promise<void>;
}

export async function startFleet(
  config: Record<string, unknown>,
  environment: Record<string, string>,
  store: string,
  size = 3,
): Promise<Fleet> {
  const parsed = parseConfig(config, defaultDefinitions);
  const logs: string[][] = [];
  const runtimes: GatewayRuntime[] = [];
  for (let index = 0; index < size; index++) {
    const lines: string[] = [];
    logs.push(lines);
    const logger = pino({}, { write: (line: string) => void lines.push(line) });
    runtimes.push(
      await createGatewayRuntime({
        config: parsed,
        logger,
        monitorHealth: false,
        environment,
      }),
    );
  }
  await waitFor(async () =>
    (await Promise.all(runtimes.map((runtime) => stateStoreUp(runtime, store)))).every(
      (up) => up === 1,
    ),
  );
  return {
    runtimes,
    logs,
    close: async () => {
      await Promise.all(runtimes.map((runtime) => runtime.close()));
    },
  };
}

/** The `switchyard_state_store_up` gauge of one gateway (undefined while it has none). */
export async function stateStoreUp(
  runtime: GatewayRuntime,
  store: string,
): Promise<number | undefined> {
  const text = await runtime.gateway.metrics.render();
  const match = new RegExp(`^switchyard_state_store_up\\{store="${store}"\\} (\\d)$`, 'm').exec(
    text,
  );
  return match ? Number(match[1]) : undefined;
}

export async function waitFor(
  condition: () => Promise<boolean>,
  timeoutMs = 5_000,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await condition()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

export async function ask(
  runtime: GatewayRuntime,
  key: string | undefined,
  content = 'hi',
  extra: Record<string, unknown> = {},
): Promise<Response> {
  const response = await runtime.handle(
    new Request('http://gateway/v1/chat/completions', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content }], ...extra }),
    }),
  );
  await response.arrayBuffer();
  return response;
}

/** A streamed chat request, read to its end: the answer and the SSE text it carried. */
export async function askStream(
  runtime: GatewayRuntime,
  key: string | undefined,
  content: string,
): Promise<{ response: Response; text: string }> {
  const response = await runtime.handle(
    new Request('http://gateway/v1/chat/completions', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify({ model: 'chat', stream: true, messages: [{ role: 'user', content }] }),
    }),
  );
  return { response, text: await response.text() };
}

/** The text content of an OpenAI SSE stream, its deltas joined. */
export function streamedContent(sse: string): string {
  let content = '';
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6)) as {
      choices?: Array<{ delta?: { content?: string | null } }>;
    };
    content += chunk.choices?.[0]?.delta?.content ?? '';
  }
  return content;
}

export function provider(id: string, mock: OpenAIMock, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: id,
    type: 'openai',
    endpoint: mock.url,
    apiKey: 'k',
    models: [{ name: 'chat', id: 'gpt-4o-mini' }],
    ...extra,
  };
}

/**
 * A key with a $0.50 monthly budget on a provider charging a dollar per input token: three
 * concurrent first requests, one per instance, then one more on each. Gives the statuses of both
 * rounds; the budget holds fleet-wide when exactly one first request passes and every later one
 * is refused.
 */
export async function crossBudgetOnFleet(
  start: (config: Record<string, unknown>) => Promise<Fleet>,
  mock: OpenAIMock,
  key: string,
  providerId: string,
): Promise<{ first: number[]; after: number[] }> {
  const expensive = provider(providerId, mock, {
    models: [{ name: 'chat', id: 'gpt-4o-mini', inputPricePerMTok: 1_000_000 }],
  });
  const fleet = await start({
    providers: [expensive],
    keys: [{ name: 'budget', key, monthlyBudgetUsd: 0.5 }],
  });
  try {
    const first = await Promise.all(fleet.runtimes.map((runtime) => ask(runtime, key)));
    const after: number[] = [];
    for (const runtime of fleet.runtimes) after.push((await ask(runtime, key)).status);
    return { first: first.map((answer) => answer.status), after };
  } finally {
    await fleet.close();
  }
}
