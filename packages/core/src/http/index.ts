// The REST proxy: the OpenAI-compatible contract as a Fetch handler and a node:http handler.
export * from './fetch-handler.ts';
export * from './gateway-http.ts';
export * from './node-handler.ts';
export * from './openai-sse.ts';
