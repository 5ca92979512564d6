// Stream behaviour of the standalone server: a client that goes away aborts the upstream call,
// and SIGTERM lets in-flight streams finish before the process exits.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

let slow: OpenAIMock;
let gateway: TestGateway;

beforeAll(async () => {
  slow = await startOpenAIMock({ behaviour: { streamChunks: 20, chunkIntervalMs: 40 } });
  gateway = await startTestGateway({
    providers: [{ id: 'slow', name: 'Slow', type: 'openai', endpoint: slow.url, apiKey: 'k' }],
    retryAttempts: 0,
  });
});

afterAll(async () => {
  await gateway.close();
  await slow.close();
  await closeHttpAgent();
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('streams through the standalone server', () => {
  it('a client that disconnects mid-stream aborts the upstream request', async () => {
    slow.reset();
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'any-model',
        messages: [{ role: 'user', content: 'a long answer please, many words here' }],
        stream: true,
      }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('data: ');
    controller.abort();
    expect(await waitFor(() => slow.clientAborts === 1, 2000)).toBe(true);
  });
});

describe('graceful shutdown', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchyard-gateway-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('on SIGTERM an in-flight stream completes, then the process exits 0', async () => {
    const configPath = join(directory, 'gateway.json');
    await writeFile(
      configPath,
      JSON.stringify({
        providers: [{ id: 'slow', name: 'Slow', type: 'openai', endpoint: slow.url, apiKey: 'k' }],
      }),
    );
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, '--config', configPath, '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(
          () => reject(new Error(`gateway did not start: ${output}`)),
          15_000,
        );
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'm',
          messages: [{ role: 'user', content: 'one two three four five six seven eight' }],
          stream: true,
        }),
      });
      const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
      let text = new TextDecoder().decode((await reader.read()).value);
      child.kill('SIGTERM');
      for (;;) {
        const next = await reader.read();
        if (next.done) break;
        text += new TextDecoder().decode(next.value);
      }
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/health`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
