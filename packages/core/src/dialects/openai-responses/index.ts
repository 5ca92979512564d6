// The OpenAI Responses API dialect.
export {
  MemoryResponseStore,
  responseStoreOf,
  useResponseStore,
  type MemoryResponseStoreOptions,
  type ResponseStore,
  type StoredResponse,
} from './response-store.ts';
export { parseResponsesRequest, type ResponsesRequest } from './responses-request.ts';
export { RESPONSES_ROUTES, responsesError } from './responses-routes.ts';
export { ResponsesSseEncoder, type ResponsesSseOptions } from './responses-sse.ts';
export { toChatBody } from './to-chat-request.ts';
export { toResponseObject } from './to-response.ts';
