// BENCHMARK-ONLY LOCAL FIX for @portkey-ai/gateway 1.15.2 on Node 20 (not part of Portkey).
// Portkey appends its own headers to the upstream's streaming Response, whose headers Node's fetch
// made immutable, so every streaming request fails with HTTP 500 (`TypeError: immutable`; upstream
// issues #1389 and #1550). Preloaded with `node --import`, this re-wraps event-stream answers of
// the global fetch in a Response with fresh, mutable Headers. Other answers are left untouched.
const originalFetch = globalThis.fetch;

/**
 * @param {string | URL | globalThis.Request} input
 * @param {RequestInit} [init]
 * @returns {Promise<globalThis.Response>}
 */
async function fetchWithMutableStreamHeaders(input, init) {
  const response = await originalFetch(input, init);
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) return response;
  return new globalThis.Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new globalThis.Headers(response.headers),
  });
}

Object.defineProperty(globalThis, 'fetch', {
  value: fetchWithMutableStreamHeaders,
  writable: true,
  configurable: true,
  enumerable: true,
});
