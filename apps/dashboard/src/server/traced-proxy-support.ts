// `pnpm start`'s REST proxy with tracing on, for tests: server.ts's proxy branch on a port of its
// own, the process's services (getServices) on an embedded database in a temporary home, two
// OpenAI mocks behind a failover route, and a local OTLP/HTTP receiver. The OTEL_* variables are
// set in the process environment before the services start, as `pnpm start` would read them;
// the services are one per process, so each test file starts one of these at most.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '@switchyard/runtime/test-support/otlp-receiver';

export const TRACED_MODEL = 'gpt-4o-mini';
const actor = { via: 'system' as const };

export interface TracedProxy {
  primary: OpenAIMock;
  backup: OpenAIMock;
  receiver: OtlpReceiver;
  chat(
    body: Record<string, unknown>,
    traceparent: string,
  ): Promise<{ requestId: string; status: number; text: string }>;
  /** The request's server span and its attempt spans (by attempt number), once all arrived. */
  spansOf(
    requestId: string,
    attempts: number,
  ): Promise<{ request: ReceivedSpan; attempts: ReceivedSpan[] }>;
  close(): Promise<void>;
}

/** A caller's span context, as a traced client sends it. */
export function callerContext() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

export function traceparentSent(mock: OpenAIMock): string | undefined {
  const header = mock.requests.at(-1)?.headers.traceparent;
  return Array.isArray(header) ? header[0] : header;
}

export async function startTracedProxy(otel: Record<string, string>): Promise<TracedProxy> {
  const primary = await startOpenAIMock({ apiKey: 'k', behaviour: { reply: 'Traced answer.' } });
  const backup = await startOpenAIMock({ apiKey: 'k', behaviour: { reply: 'Backup answer.' } });
  const receiver = await startOtlpReceiver();
  const home = await mkdtemp(join(tmpdir(), 'switchyard-start-tracing-'));
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'REDIS_CLUSTER_NODES',
    'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT',
    'OTEL_SERVICE_NAME',
  ])
    delete process.env[name];
  Object.assign(
    process.env,
    {
      SWITCHYARD_HOME: home,
      SWITCHYARD_SEED_DEFAULTS: 'false',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '20',
    },
    otel,
  );
  const { getServices } = await import('./services.ts');
  const { isProxyRequest, serveProxy } = await import('./proxy-server.ts');
  const { stampClientAddress } = await import('./auth/client-address.ts');
  const services = await getServices();
  const { repositories } = services;
  const models = [{ name: TRACED_MODEL }];
  await repositories.providers.create(
    { id: 'primary', name: 'P', type: 'openai', endpoint: primary.url, apiKey: 'k', models },
    actor,
  );
  await repositories.providers.create(
    { id: 'backup', name: 'B', type: 'openai', endpoint: backup.url, apiKey: 'k', models },
    actor,
  );
  await repositories.routes.upsert(
    {
      name: 'smart',
      targets: [
        { provider: 'primary', model: TRACED_MODEL },
        { provider: 'backup', model: TRACED_MODEL },
      ],
      retryAttempts: 0,
    },
    actor,
  );
  const apiKey = (await repositories.keys.create({ name: 'traced' }, actor)).key;
  await services.runtime.reload();
  // server.ts's request handler for the proxy paths.
  const server = createServer((request, response) => {
    stampClientAddress(request);
    if (isProxyRequest(request.url)) serveProxy(request, response, []);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    primary,
    backup,
    receiver,
    async chat(body, traceparent) {
      const requestId = randomUUID();
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          traceparent,
          'x-request-id': requestId,
        },
        body: JSON.stringify(Object.assign({ model: 'smart' }, body)),
      });
      return { requestId, status: response.status, text: await response.text() };
    },
    async spansOf(requestId, attempts) {
      const [request] = await receiver.waitForSpans(
        (span) => span.attributes['switchyard.request_id'] === requestId,
        1,
      );
      const children = await receiver.waitForSpans(
        (span) => span.parentSpanId === request!.spanId,
        attempts,
      );
      const byNumber = (a: ReceivedSpan, b: ReceivedSpan) =>
        Number(a.attributes['switchyard.attempt']) - Number(b.attributes['switchyard.attempt']);
      return { request: request!, attempts: children.sort(byNumber) };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.runtime.close();
      await services.db.close();
      await primary.close();
      await backup.close();
      await receiver.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
