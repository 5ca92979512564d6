// Codex CLI (`@openai/codex`, the native binary from npm) pointed at the gateway as a new user
// would: a custom model provider with `wire_api = "responses"`, and the built-in provider with
// `openai_base_url`; HOME and CODEX_HOME in a temporary directory, updates, telemetry and
// analytics off, so nothing leaves the machine. `codex exec` answers a one-shot prompt through
// the OpenAI mock (pass-through) and through the Anthropic mock (translated).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startOpenAIMock,
  type MockServer,
  type OpenAIMock,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-codex-test-key';
const CODEX = join(
  dirname(createRequire(import.meta.url).resolve('@openai/codex/package.json')),
  'bin',
  'codex.js',
);
let openai: OpenAIMock;
let anthropic: MockServer;
let gateway: TestGateway;
let home: string;

beforeAll(async () => {
  openai = await startOpenAIMock({ apiKey: 'openai-key' });
  anthropic = await startAnthropicMock({ apiKey: 'anthropic-key' });
  gateway = await startTestGateway({
    providers: [
      { id: 'openai', name: 'OpenAI', type: 'openai', endpoint: openai.url, apiKey: 'openai-key' },
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'anthropic-key',
      },
    ],
    routes: [
      { name: 'codex-model', targets: [{ provider: 'openai', model: 'gpt-real' }] },
      { name: 'codex-claude', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] },
    ],
    keys: [{ name: 'codex', key: KEY }],
    retryAttempts: 0,
  });
});

afterAll(async () => {
  await gateway.close();
  await openai.close();
  await anthropic.close();
  await closeHttpAgent();
});

beforeEach(async () => {
  openai.reset();
  anthropic.reset();
  home = await mkdtemp(join(tmpdir(), 'codex-home-'));
  await mkdir(join(home, '.codex'));
  return () => rm(home, { recursive: true, force: true });
});

const QUIET = `check_for_update_on_startup = false
[analytics]
enabled = false
[feedback]
enabled = false
[otel]
exporter = "none"
`;

/**
 * Runs the codex binary in the temporary home (`input` on its stdin), in a process group of its
 * own so the native binary under the node wrapper ends with it: after 60 s, or once `stopWhen`.
 */
async function codex(
  args: string[],
  input = '',
  stopWhen?: () => boolean,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CODEX, ...args], {
    cwd: home,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      CODEX_HOME: join(home, '.codex'),
      SWITCHYARD_API_KEY: KEY,
      NO_COLOR: '1',
    },
  });
  child.stdin.end(input);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = (): void => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  const timer = setTimeout(stop, 60_000);
  const poll = setInterval(() => {
    if (stopWhen?.()) stop();
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  clearInterval(poll);
  return { code, output };
}

async function codexExec(
  config: string,
  prompt: string,
  stopWhen?: () => boolean,
): Promise<{ code: number | null; output: string }> {
  await writeFile(join(home, '.codex', 'config.toml'), config);
  const args = ['exec', '--skip-git-repo-check', '--sandbox', 'read-only', prompt];
  return await codex(args, '', stopWhen);
}

describe('Codex CLI through the gateway', () => {
  it('answers a one-shot prompt with a custom provider (wire_api = "responses")', async () => {
    const config = `model = "codex-model"
model_provider = "switchyard"
${QUIET}
[model_providers.switchyard]
name = "Switchyard"
base_url = "${gateway.url}/v1"
env_key = "SWITCHYARD_API_KEY"
wire_api = "responses"
`;
    // The prompt names Codex's `exec_command` tool: one tool call and its output, then an answer.
    const result = await codexExec(config, 'say hello with exec_command');
    expect(result.output).toContain('Echo:');
    expect(result.code).toBe(0);
    const calls = openai.requests.filter((request) => request.url === '/v1/responses');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls[0]?.rawBody).toContain('say hello with exec_command');
    expect(calls[1]?.rawBody).toContain('"type":"function_call_output"');
  }, 90_000);

  it('answers with the built-in provider and openai_base_url', async () => {
    const config = `model = "codex-model"
openai_base_url = "${gateway.url}/v1"
${QUIET}`;
    await writeFile(join(home, '.codex', 'config.toml'), config);
    const login = await codex(['login', '--with-api-key'], KEY);
    expect(login.code).toBe(0);
    const started = Date.now();
    const result = await codexExec(config, 'say hello builtin');
    // It tries the WebSocket mode first; the 426 sends it to HTTP at once.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.output).toContain('Echo:');
    expect(result.code).toBe(0);
  }, 90_000);

  it('answers a one-shot prompt through the Anthropic mock (translated), after a tool round trip', async () => {
    const config = `model = "codex-claude"
model_provider = "switchyard"
${QUIET}
[model_providers.switchyard]
name = "Switchyard"
base_url = "${gateway.url}/v1"
env_key = "SWITCHYARD_API_KEY"
wire_api = "responses"
`;
    // The prompt names Codex's `exec_command` tool: the Anthropic mock calls it once, then
    // answers its output in text — a one-shot that ends.
    const result = await codexExec(config, 'say hello claude with exec_command');
    // The mock echoes the last user turn: Codex's environment context, then the prompt.
    expect(result.output).toMatch(/\ncodex\nEcho: [\s\S]*say hello claude with exec_command/);
    expect(result.code).toBe(0);
    expect(result.output).not.toContain('"error":{');
    const [first, second] = anthropic.requests.map(
      (request) => request.body as { messages: Array<{ role: string; content: unknown }> },
    );
    expect(JSON.stringify(first?.messages)).toContain('say hello claude');
    const answer = second?.messages.at(-2);
    const toolResult = JSON.stringify(second?.messages.at(-1));
    expect(answer?.role).toBe('assistant');
    const toolUse = (answer?.content as Array<{ type: string; id?: string }>).find(
      (block) => block.type === 'tool_use',
    );
    expect(toolUse?.id).toBeTruthy();
    expect(toolResult).toContain('"type":"tool_result"');
    expect(toolResult).toContain(`"tool_use_id":"${toolUse?.id}"`);
  }, 90_000);

  it('answers with the built-in provider and openai_base_url through the Anthropic mock (translated)', async () => {
    const config = `model = "codex-claude"
openai_base_url = "${gateway.url}/v1"
${QUIET}`;
    await writeFile(join(home, '.codex', 'config.toml'), config);
    const login = await codex(['login', '--with-api-key'], KEY);
    expect(login.code).toBe(0);
    const before = anthropic.requests.length;
    const result = await codexExec(config, 'say hello builtin claude');
    expect(result.output).toMatch(/\ncodex\nEcho: [\s\S]*say hello builtin claude/);
    expect(result.code).toBe(0);
    const sent = anthropic.requests.slice(before);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(sent[0]?.body)).toContain('say hello builtin claude');
  }, 90_000);
});
