// The benchmark's upstream, in a process of its own: two testkit OpenAI mocks, one answering at
// once and one after 50 ms, both streaming 20 content chunks. Prints `{"fast":port,"slow":port}`.
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { MOCK_API_KEY, MOCK_REPLY, SLOW_LATENCY_MS, STREAM_CHUNKS } from '../workload.ts';

const start = (latencyMs: number) =>
  startOpenAIMock({
    apiKey: MOCK_API_KEY,
    behaviour: { reply: MOCK_REPLY, streamChunks: STREAM_CHUNKS, latencyMs },
  });
const mocks: OpenAIMock[] = [await start(0), await start(SLOW_LATENCY_MS)];
// The testkit records every request for assertions; a benchmark sends millions.
setInterval(() => {
  for (const mock of mocks) mock.requests.length = 0;
}, 500).unref();
const stop = () =>
  void Promise.all(mocks.map((mock) => mock.close())).finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
console.log(JSON.stringify({ fast: mocks[0]!.port, slow: mocks[1]!.port }));
