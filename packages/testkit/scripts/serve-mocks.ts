// `pnpm mocks`: runs the testkit's mock vendors on fixed local ports, for trying the gateway
// without any account (see examples/gateway.mocks.yaml). Stops on Ctrl-C.
import { startAnthropicMock, startGeminiMock, startOpenAIMock } from '../src/index.ts';

const base = Number(process.env.MOCK_BASE_PORT ?? 4010);
const servers = await Promise.all([
  startOpenAIMock({
    port: base,
    apiKey: 'mock-openai-key',
    behaviour: { streamChunks: 8, chunkIntervalMs: 30 },
  }),
  startAnthropicMock({
    port: base + 1,
    apiKey: 'mock-anthropic-key',
    behaviour: { streamChunks: 8, chunkIntervalMs: 30 },
  }),
  startGeminiMock({
    port: base + 2,
    apiKey: 'mock-gemini-key',
    behaviour: { streamChunks: 8, chunkIntervalMs: 30 },
  }),
  startOpenAIMock({
    port: base + 3,
    flavor: 'lmstudio',
    behaviour: { streamChunks: 8, chunkIntervalMs: 30 },
  }),
]);
console.log(`mock OpenAI     ${servers[0].url}  (api key mock-openai-key)`);
console.log(`mock Anthropic  ${servers[1].url}  (api key mock-anthropic-key)`);
console.log(`mock Gemini     ${servers[2].url}  (api key mock-gemini-key)`);
console.log(`mock LM Studio  ${servers[3].url}`);
const stop = () =>
  void Promise.all(servers.map((server) => server.close())).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
