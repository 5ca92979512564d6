// The floor any Node gateway stands on: node:http in, an undici Pool out, bytes piped both ways,
// nothing parsed. `x-bench-upstream: slow` picks the slow mock, `tick` the tick upstream of the
// 2,000-stream scenario (a pool without a connection cap, so every stream gets its own). Prints `{"port":n}` when ready.
// Plain JavaScript so it runs on bare Node, without a TypeScript loader's memory and start-up.
// Usage: node pass-through-proxy.mjs <fast-origin> <slow-origin> <tick-origin>
/* global process, console */
import { createServer } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

const [fastOrigin, slowOrigin, tickOrigin] = process.argv.slice(2);
if (!fastOrigin || !slowOrigin || !tickOrigin) {
  console.error('usage: node pass-through-proxy.mjs <fast-origin> <slow-origin> <tick-origin>');
  process.exit(2);
}
const pools = {
  fast: new Pool(fastOrigin, { connections: 256 }),
  slow: new Pool(slowOrigin, { connections: 256 }),
  tick: new Pool(tickOrigin),
};
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'host',
  'x-bench-upstream',
]);

/**
 * @param {Record<string, string | string[] | undefined>} headers
 * @returns {Record<string, string | string[]>}
 */
function forwardable(headers) {
  /** @type {Record<string, string | string[]>} */
  const result = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) result[name] = value;
  return result;
}

const server = createServer((incoming, response) => {
  const choice = incoming.headers['x-bench-upstream'];
  const pool = choice === 'slow' ? pools.slow : choice === 'tick' ? pools.tick : pools.fast;
  const post = incoming.method === 'POST';
  pool
    .request({
      path: incoming.url ?? '/',
      method: post ? 'POST' : 'GET',
      headers: forwardable(incoming.headers),
      body: post ? incoming : null,
    })
    .then(async (upstream) => {
      response.writeHead(upstream.statusCode, forwardable(upstream.headers));
      await pipeline(upstream.body, response);
    })
    .catch((/** @type {unknown} */ error) => {
      if (!response.headersSent) {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(error instanceof Error ? error.message : String(error));
      } else response.destroy();
    });
});
server.keepAliveTimeout = 65_000;
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  const address = server.address();
  console.log(
    JSON.stringify({ port: address !== null && typeof address === 'object' ? address.port : 0 }),
  );
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
