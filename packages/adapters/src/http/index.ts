// The shared HTTP layer of every adapter.
export {
  decodeEventStream,
  EventStreamFormatError,
  EventStreamParser,
  type EventStreamFrame,
} from './aws-event-stream.ts';
export {
  createChatModel,
  listModelPages,
  type ChatModelParts,
  type ModelPage,
} from './chat-model.ts';
export { classifyStatus, looksLikeContextLength } from './classify-status.ts';
export {
  abandonBody,
  closeHttpAgent,
  discardBody,
  headerValue,
  httpAgent,
  MAX_RESPONSE_BYTES,
  readText,
  sendRequest,
  toNetworkError,
  type HttpRequest,
  type HttpResponse,
} from './http-client.ts';
export { NdjsonParser, parseLines } from './ndjson.ts';
export { parseDurationString, parseRetryAfter } from './retry-after.ts';
export { parseSse, SseParser, type SseMessage } from './sse.ts';
export {
  readStream,
  streamReader,
  VendorStreamDecoder,
  type FramedMessages,
  type StreamDecoder,
  type StreamFormat,
  type StreamFraming,
  type StreamRequest,
  type StreamState,
} from './stream-reader.ts';
export {
  callJson,
  isSuccess,
  openStream,
  probeHttp,
  readErrorBody,
  sendAccepted,
  type ErrorParser,
  type JsonCall,
  type ProbeCall,
  type StreamCall,
} from './vendor-call.ts';
// Egress deny-list (addresses provider calls may not reach).
export { DEFAULT_EGRESS_DENY_LIST, isEgressDenied, setEgressDenyList } from './http-client.ts';
