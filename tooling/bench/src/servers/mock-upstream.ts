// The benchmark's upstream, in a process of its own: two testkit OpenAI mocks, one answering at
// once and one after 50 ms, both streaming 20 content chunks; the same pair of testkit Anthropic
// mocks (Messages API) for the translated-vendor target; and the tick upstream of the 2,000-stream
// scenario (a numbered frame every 50 ms). Prints their ports as one JSON line.
import {
  startAnthropicMock,
  startOpenAIMock,
  type AnthropicMock,
  type OpenAIMock,
} from '@switchyard/testkit';
import { MOCK_API_KEY, MOCK_REPLY, SLOW_LATENCY_MS, STREAM_CHUNKS } from '../workload.ts';
import { startTickUpstream } from './tick-upstream.ts';

const behaviour = (latencyMs: number) => ({
  reply: MOCK_REPLY,
  streamChunks: STREAM_CHUNKS,
  latencyMs,
});
const start = (latencyMs: number) =>
  startOpenAIMock({ apiKey: MOCK_API_KEY, behaviour: behaviour(latencyMs) });
const startAnthropic = (latencyMs: number) =>
  startAnthropicMock({ apiKey: MOCK_API_KEY, behaviour: behaviour(latencyMs) });
const mocks: Array<OpenAIMock | AnthropicMock> = [
  await start(0),
  await start(SLOW_LATENCY_MS),
  await startAnthropic(0),
  await startAnthropic(SLOW_LATENCY_MS),
];
const tick = await startTickUpstream({ apiKey: MOCK_API_KEY });
// The testkit records every request (and the Anthropic mock every answer) for assertions; a benchmark sends millions.
setInterval(() => {
  for (const mock of mocks) {
    mock.requests.length = 0;
    if ('sent' in mock) mock.sent.length = 0;
  }
}, 500).unref();
const stop = () => {
  tick.server.closeAllConnections();
  tick.server.close();
  void Promise.all(mocks.map((mock) => mock.close())).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
console.log(
  JSON.stringify({
    fast: mocks[0]!.port,
    slow: mocks[1]!.port,
    anthropicFast: mocks[2]!.port,
    anthropicSlow: mocks[3]!.port,
    tick: tick.port,
  }),
);
