import { startOpenAIMock } from '@switchyard/adapters/testkit';
const m = await startOpenAIMock({
  port: 4700,
  apiKey: 'bench-key',
  behaviour: {
    reply: 'The quick brown fox jumps over the lazy dog again and again',
    streamChunks: 20,
  },
});
setInterval(() => {
  m.requests.length = 0;
}, 500).unref();
console.log('mock up');
