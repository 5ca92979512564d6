// Claude Code (`@anthropic-ai/claude-code`, the native binary from npm) pointed at the gateway as
// a new user would: `ANTHROPIC_BASE_URL` and a virtual key in `ANTHROPIC_AUTH_TOKEN`, HOME in a
// temporary directory, telemetry, error reporting, the auto-updater and non-essential traffic off,
// so nothing leaves the machine. `claude -p` answers a one-shot prompt through the Anthropic mock
// (pass-through) and through the OpenAI mock (translated), in a bounded number of requests.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startOpenAIMock,
  type AnthropicMock,
  type OpenAIMock,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-claude-code-cli-key';
// The package's postinstall copies the platform's native binary over this placeholder.
const CLAUDE = join(
  dirname(createRequire(import.meta.url).resolve('@anthropic-ai/claude-code/package.json')),
  'bin',
  'claude.exe',
);
const RUN_LIMIT_MS = 60_000;
let anthropic: AnthropicMock;
let openai: OpenAIMock;
let gateway: TestGateway;
/** Every request the gateway received during a test, as `METHOD path`. */
let received: string[] = [];
let home: string;

beforeAll(async () => {
  [anthropic, openai] = await Promise.all([
    startAnthropicMock({ apiKey: 'anthropic-key' }),
    startOpenAIMock({ apiKey: 'openai-key' }),
  ]);
  gateway = await startTestGateway({
    providers: [
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'anthropic-key',
      },
      { id: 'openai', name: 'OpenAI', type: 'openai', endpoint: openai.url, apiKey: 'openai-key' },
    ],
    routes: [
      {
        name: 'claude-sonnet-4-5',
        targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }],
      },
      { name: 'claude-on-gpt', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] },
    ],
    keys: [{ name: 'claude-code', key: KEY }],
    retryAttempts: 0,
  });
  gateway.server.server.on('request', (request: { method?: string; url?: string }) => {
    received.push(`${request.method ?? ''} ${request.url ?? ''}`);
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic.close(), openai.close()]);
  await closeHttpAgent();
});

beforeEach(async () => {
  anthropic.reset();
  openai.reset();
  received = [];
  home = await mkdtemp(join(tmpdir(), 'claude-code-home-'));
  return () => rm(home, { recursive: true, force: true });
});

/**
 * Runs `claude -p <prompt> --model <model>` in the temporary home, in a process group of its own
 * so that everything it starts ends with it: killed after RUN_LIMIT_MS, or once it has sent more
 * requests than a one-shot needs (a loop would otherwise run into the time limit).
 */
async function claude(
  prompt: string,
  model: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(CLAUDE, ['-p', prompt, '--model', model], {
    cwd: home,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      ANTHROPIC_BASE_URL: gateway.url,
      ANTHROPIC_AUTH_TOKEN: KEY,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_ERROR_REPORTING: '1',
      NO_COLOR: '1',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = (): void => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  const timer = setTimeout(stop, RUN_LIMIT_MS);
  const poll = setInterval(() => {
    if (received.length >= 20) stop();
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  clearInterval(poll);
  return { code, stdout, stderr };
}

function messagesRequests(): string[] {
  return received.filter((request) => request.startsWith('POST /v1/messages'));
}

describe('Claude Code CLI through the gateway', () => {
  it('answers `claude -p` through the Anthropic mock (pass-through)', async () => {
    const result = await claude('Say hello', 'claude-sonnet-4-5');
    expect(result.stderr).not.toContain('API Error');
    expect(result.stdout).toMatch(/Echo: [\s\S]*Say hello/);
    expect(result.code).toBe(0);
    expect(received.length).toBeLessThan(10);
    expect(messagesRequests().length).toBeGreaterThanOrEqual(1);
    // Claude Code offers its tools with the prompt; the mock answered in text, not with one.
    const sent = anthropic.requests[0]?.body as { tools?: unknown[] } | undefined;
    expect(sent?.tools?.length).toBeGreaterThan(0);
    expect(anthropic.sent.every((answer) => !answer.includes('"tool_use"'))).toBe(true);
  }, 90_000);

  it('answers `claude -p` through the OpenAI mock (translated)', async () => {
    const result = await claude('Say hello', 'claude-on-gpt');
    expect(result.stderr).not.toContain('API Error');
    expect(result.stdout).toMatch(/Echo: [\s\S]*Say hello/);
    expect(result.code).toBe(0);
    expect(received.length).toBeLessThan(10);
    expect(messagesRequests().length).toBeGreaterThanOrEqual(1);
    const chat = openai.requests.filter((request) => request.url === '/v1/chat/completions');
    expect(chat.length).toBeGreaterThanOrEqual(1);
    expect(chat[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
    expect(anthropic.requests).toHaveLength(0);
  }, 90_000);
});
