// The inference API as an app meets it: a real tRPC client (batched HTTP for calls, SSE for the
// stream) against the dashboard's tRPC HTTP handler on node:http, with a real database, the
// gateway runtime and a mock OpenAI server as the provider. The REST proxy is served beside it,
// to show that both paths route and log a request the same way.
import * as dbModule from '@switchyard/db';
import type { RequestLogRecord } from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { defaultDefinitions } from '@switchyard/adapters';
import { splitIntoChunks, startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
  type TRPCClient,
} from '@trpc/client';
import type { Unsubscribable } from '@trpc/server/observable';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../auth/session-cookie.ts';
import type { ChatStreamEvent } from '../inference/proxy-call.ts';
import { assembleServices, type Services } from '../services.ts';
import { handleTrpcRequest, TRPC_ENDPOINT, type AppRouter } from './index.ts';
import { serveOverHttp, type HttpTestServer } from './test-support.ts';

const PROVIDER_KEY = 'sk-trpc-client-5e0b7a31';
const STREAM_CHUNKS = 4;
/** Longest wait for a subscription to end; a stuck stream fails the test instead of hanging it. */
const STREAM_TIMEOUT_MS = 5_000;
/** The gateway writes request logs in batches about once a second. */
const LOG_WAIT_MS = 5_000;

type Client = TRPCClient<AppRouter>;

function trpcClient(baseUrl: string, headers: Record<string, string>): Client {
  const url = `${baseUrl}${TRPC_ENDPOINT}`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          transformer: superjson,
          EventSource,
          // A browser's EventSource cannot send headers; this one sends them through its fetch.
          eventSourceOptions: {
            fetch: (input, init) =>
              fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
          },
        }),
        false: httpBatchLink({ url, transformer: superjson, headers }),
      }),
    ],
  });
}

interface StreamObserver {
  onData(event: ChatStreamEvent): void;
  onComplete(): void;
  onError(error: unknown): void;
}

/** Every event of one subscription, once it completes; rejects on a tRPC error or a timeout. */
function collectStream(
  subscribe: (observer: StreamObserver) => Unsubscribable,
): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  let subscription: Unsubscribable | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ended = new Promise<ChatStreamEvent[]>((resolve, reject) => {
    subscription = subscribe({
      onData: (event) => events.push(event),
      onComplete: () => resolve(events),
      onError: (error) => reject(error instanceof Error ? error : new Error(String(error))),
    });
  });
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the stream did not end within ${STREAM_TIMEOUT_MS} ms; events so far: ${JSON.stringify(events)}`,
          ),
        ),
      STREAM_TIMEOUT_MS,
    );
  });
  return Promise.race([ended, timedOut]).finally(() => {
    clearTimeout(timer);
    subscription?.unsubscribe();
  });
}

async function clientFailure(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AppRouter>;
    throw error;
  }
  throw new Error('the call succeeded');
}

const chatInput = (content: string) => ({
  request: { model: 'chat', messages: [{ role: 'user' as const, content }] },
});

describe.each(testBackends())('the inference API through a tRPC client, on %s', (backend) => {
  let database: TestDatabase;
  let runtime: GatewayRuntime;
  let mock: OpenAIMock;
  let services: Services;
  let server: HttpTestServer;
  let admin: Client;
  let apiKey: string;
  let keyId: string;

  beforeAll(async () => {
    mock = await startOpenAIMock({
      apiKey: PROVIDER_KEY,
      models: ['mock-model'],
      behaviour: { streamChunks: STREAM_CHUNKS, chunkIntervalMs: 5 },
    });
    database = await openTestDatabase(backend);
    const repositories = dbModule.createRepositories(database.db, {
      definitions: defaultDefinitions,
    });
    runtime = await createGatewayRuntime({ db: database.db, monitorHealth: false });
    services = assembleServices(dbModule, database.db, repositories, runtime);
    // The same mounts as the Next app: the tRPC API at /api/trpc, the REST proxy at /v1.
    server = await serveOverHttp((request) =>
      new URL(request.url).pathname.startsWith(`${TRPC_ENDPOINT}/`)
        ? handleTrpcRequest(request, {
            services: () => Promise.resolve(services),
            secureCookies: () => false,
          })
        : runtime.handle(request),
    );

    const user = await repositories.users.create({
      email: 'owner@example.com',
      password: 'a long enough password',
      role: 'admin',
    });
    const session = await repositories.sessions.create(user.id, SESSION_TTL_MS);
    admin = trpcClient(server.url, {
      cookie: `${SESSION_COOKIE}=${encodeURIComponent(session.token)}`,
    });
    await admin.providers.create.mutate({
      id: 'mock',
      name: 'Mock',
      type: 'openai',
      endpoint: mock.url,
      apiKey: PROVIDER_KEY,
      models: [{ name: 'mock-model', inputPricePerMTok: 1, outputPricePerMTok: 2 }],
    });
    await admin.routes.upsert.mutate({
      name: 'chat',
      targets: [{ provider: 'mock', weight: 1 }],
      fallbacks: [],
    });
    const created = await admin.keys.create.mutate({ name: 'trpc-client', allowedRoutes: [] });
    apiKey = created.key;
    keyId = created.record.id;
  });

  afterAll(async () => {
    await server?.close();
    await runtime?.close();
    await database?.close();
    await mock?.close();
  });

  const app = () => trpcClient(server.url, { authorization: `Bearer ${apiKey}` });

  it('answers inference.chat with a chat.completion from the provider and says who served it', async () => {
    const answer = await app().inference.chat.mutate(chatInput('hello over http'));
    expect(answer.completion).toMatchObject({
      object: 'chat.completion',
      choices: [
        { message: { role: 'assistant', content: 'Echo: hello over http' }, finish_reason: 'stop' },
      ],
    });
    expect(answer).toMatchObject({
      provider: 'mock',
      attempts: '1',
      requestId: expect.stringMatching(/\S/) as unknown,
    });
    const upstream = mock.requests.at(-1);
    expect(upstream?.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
    expect(JSON.stringify(upstream?.body)).toContain('hello over http');
  });

  it('refuses a call with an unknown key or without a key as UNAUTHORIZED, before any provider is asked', async () => {
    const before = mock.requests.length;
    const unknown = await clientFailure(
      trpcClient(server.url, { authorization: 'Bearer sk-sy-not-a-key' }).inference.chat.mutate(
        chatInput('x'),
      ),
    );
    expect(unknown.data?.code).toBe('UNAUTHORIZED');
    expect(unknown.data?.httpStatus).toBe(401);

    const missing = await clientFailure(
      trpcClient(server.url, {}).inference.chat.mutate(chatInput('x')),
    );
    expect(missing.data?.code).toBe('UNAUTHORIZED');
    expect(missing.message).toMatch(/Authorization: Bearer/);

    const missingOnStream = await collectStream((observer) =>
      trpcClient(server.url, {}).inference.stream.subscribe(chatInput('x'), observer),
    ).then(
      () => new Error('the stream was accepted'),
      (error: unknown) => error,
    );
    expect(missingOnStream).toBeInstanceOf(TRPCClientError);
    expect((missingOnStream as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
    expect(mock.requests.length).toBe(before);
  });

  it('lists the route among the models the key may use', async () => {
    const models = await app().inference.models.query();
    expect(models.data.map((model) => model.id)).toContain('chat');
  });

  it('streams inference.stream over SSE: who served it, the text in order, then usage and timings', async () => {
    const events = await collectStream((observer) =>
      app().inference.stream.subscribe(chatInput('stream this text please'), observer),
    );
    expect(events[0]).toMatchObject({
      type: 'start',
      status: 200,
      provider: 'mock',
      requestId: expect.stringMatching(/\S/) as unknown,
    });
    const deltas = events.flatMap((event) => (event.type === 'delta' ? [event.text] : []));
    expect(deltas).toEqual(splitIntoChunks('Echo: stream this text please', STREAM_CHUNKS));
    expect(events).toHaveLength(deltas.length + 2);
    const done = events.at(-1);
    expect(done).toMatchObject({ type: 'done', finishReason: 'stop', model: 'mock-model' });
    if (done?.type !== 'done') throw new Error('the stream did not end with done');
    expect(done.usage?.inputTokens).toBeGreaterThan(0);
    expect(done.usage?.outputTokens).toBe(5);
    expect(done.firstTokenMs).not.toBeNull();
    expect(done.latencyMs).toBeGreaterThanOrEqual(done.firstTokenMs ?? Infinity);
  });

  it('refuses a key the gateway does not know on the stream as UNAUTHORIZED, like chat', async () => {
    const refused = await collectStream((observer) =>
      trpcClient(server.url, {
        authorization: 'Bearer sk-sy-not-a-key',
      }).inference.stream.subscribe(chatInput('x'), observer),
    ).then(
      () => new Error('the stream was accepted'),
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
  });

  it('accepts the key as a connection parameter, for browsers whose EventSource cannot send headers', async () => {
    const url = `${server.url}${TRPC_ENDPOINT}`;
    const browserLike = createTRPCClient<AppRouter>({
      links: [
        httpSubscriptionLink({
          url,
          transformer: superjson,
          EventSource,
          connectionParams: { apiKey },
        }),
      ],
    });
    const events = await collectStream((observer) =>
      browserLike.inference.stream.subscribe(chatInput('over connection params'), observer),
    );
    expect(events[0]).toMatchObject({ type: 'start', status: 200, provider: 'mock' });
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop' });
  });

  it('refuses the key as a connection parameter on calls that can send a header', async () => {
    const params = encodeURIComponent(JSON.stringify({ apiKey }));
    const response = await fetch(
      `${server.url}${TRPC_ENDPOINT}/inference.models?connectionParams=${params}`,
    );
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { json: { data: { code: string } } } };
    expect(body.error.json.data.code).toBe('UNAUTHORIZED');
  });

  it('logs tRPC calls exactly like a REST call with the same key: same route, provider, status and tokens', async () => {
    const prompt = 'log me the same way';
    const viaTrpc = await app().inference.chat.mutate(chatInput(prompt));
    const viaRest = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(chatInput(prompt).request),
    });
    expect(viaRest.status).toBe(200);
    const restBody = (await viaRest.json()) as { choices: Array<{ message: { content: string } }> };
    expect(restBody.choices[0]?.message.content).toBe(`Echo: ${prompt}`);
    const streamed = await collectStream((observer) =>
      app().inference.stream.subscribe(chatInput(prompt), observer),
    );
    const start = streamed[0];
    const done = streamed.at(-1);
    if (start?.type !== 'start' || done?.type !== 'done')
      throw new Error(`unexpected stream: ${JSON.stringify(streamed)}`);

    const { trpcRow, restRow, streamRow } = await waitForLogs({
      trpcRow: viaTrpc.requestId,
      restRow: viaRest.headers.get('x-request-id'),
      streamRow: start.requestId,
    });
    const routing = (row: RequestLogRecord) => ({
      keyId: row.keyId,
      route: row.route,
      provider: row.provider,
      model: row.model,
      status: row.status,
      attempts: row.attempts,
      errorKind: row.errorKind,
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
    });
    expect(routing(restRow)).toMatchObject({
      keyId,
      route: 'chat',
      provider: 'mock',
      model: 'mock-model',
      status: 200,
      attempts: 1,
    });
    expect(routing(trpcRow)).toEqual(routing(restRow));
    expect({ rest: restRow.stream, trpc: trpcRow.stream }).toEqual({ rest: false, trpc: false });
    expect(trpcRow.costUsd).toBe(restRow.costUsd);
    expect(routing(streamRow)).toEqual(routing(restRow));
    expect(streamRow.stream).toBe(true);
    expect(streamRow.firstTokenMs).toBeDefined();
    expect(streamRow.outputTokens).toBe(done.usage?.outputTokens);
  });

  /** The log row of each request id, once the gateway has written them all. */
  async function waitForLogs<Name extends string>(
    requestIds: Record<Name, string | null>,
  ): Promise<Record<Name, RequestLogRecord>> {
    const deadline = Date.now() + LOG_WAIT_MS;
    for (;;) {
      const { items } = await admin.logs.list.query({ keyId, limit: 200 });
      const rows: Partial<Record<Name, RequestLogRecord>> = {};
      for (const [name, requestId] of Object.entries(requestIds) as Array<[Name, string | null]>) {
        if (!requestId) throw new Error(`the ${name} request came back without its request id`);
        const row = items.find((item) => item.requestId === requestId);
        if (row) rows[name] = row;
      }
      if (Object.keys(rows).length === Object.keys(requestIds).length)
        return rows as Record<Name, RequestLogRecord>;
      if (Date.now() > deadline)
        throw new Error(
          `requests ${JSON.stringify(requestIds)} were not logged within ${LOG_WAIT_MS} ms`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
});
