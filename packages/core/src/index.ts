// @switchyard/core: the adapter contract, configuration, routing and the inference service.
// The public surface, named one by one: anything not listed here is internal to the package.

// The contract: requests, responses, stream events, errors and their routing policy, the adapter and provider-definition interfaces.
export {
  chatMessageSchema,
  chatRequestSchema,
  contentPartSchema,
  messageText,
  requestedMaxTokens,
  responseFormatSchema,
  toolChoiceSchema,
  toolSchema,
  withoutReasoning,
} from './spec/chat-request.ts';
export type {
  ChatMessage,
  ChatRequest,
  ChatTool,
  ContentPart,
  ResponseFormat,
  ToolCall,
  ToolChoice,
} from './spec/chat-request.ts';
export {
  makeUsage,
  reasoningText,
  toOpenAIChatCompletion,
  toOpenAIFinishReason,
  toOpenAIUsage,
} from './spec/chat-response.ts';
export type {
  AssistantMessage,
  ChatChoice,
  ChatResponse,
  FinishReason,
  ReasoningPart,
  UnifiedFinishReason,
  Usage,
  UsageDetails,
} from './spec/chat-response.ts';
export { ERROR_POLICY, policyKindOf, policyOf } from './spec/error-policy.ts';
export type { ClassifiedFailure, ErrorPolicy } from './spec/error-policy.ts';
export {
  AllProvidersFailedError,
  DeadlineExceededError,
  GatewayError,
  InvalidRequestError,
  isUpstreamError,
  NoHealthyProvidersError,
  ProviderTestError,
  UpstreamError,
} from './spec/errors.ts';
export type {
  AttemptRecord,
  GatewayErrorOptions,
  GatewayErrorType,
  UpstreamErrorKind,
  UpstreamErrorOptions,
} from './spec/errors.ts';
export {
  expandOpenAIChunk,
  mapOpenAIFinishReason,
  mapOpenAIUsage,
  parseOpenAIChunk,
  summarizeOpenAIChunk,
} from './spec/openai-chunk.ts';
export type {
  AdapterCall,
  AdapterRegistry,
  CallOptions,
  ModelInfo,
  ProbeResult,
  ProviderAdapter,
  StreamCallOptions,
} from './spec/provider-adapter.ts';
export type {
  ProviderCapabilities,
  ProviderDefinition,
  ProviderRegistry,
  ProviderTemplate,
  ProviderTemplateField,
} from './spec/provider-definition.ts';
export type {
  CircuitState,
  HealthSource,
  HealthStatus,
  ProviderHealthView,
  ProviderTestResult,
} from './spec/provider-health.ts';
export { nativeErrorResponse, withModel } from './spec/native-dialect.ts';
export type {
  NativeDialect,
  NativeErrorResponse,
  NativeRequest,
  NativeResponse,
  NativeStreamEvent,
} from './spec/native-dialect.ts';
export { parseJsonSafe } from './spec/safe-json.ts';
export { isOutputEvent } from './spec/stream-events.ts';
export type {
  ErrorEvent,
  FinishEvent,
  OpenAIChunkEvent,
  ReasoningDeltaEvent,
  StartEvent,
  StreamEvent,
  TextDeltaEvent,
  ToolCallDeltaEvent,
  UsageEvent,
} from './spec/stream-events.ts';
export { describeIssues, formatPath, parseChatRequest, toFieldIssues } from './spec/validation.ts';
export type { FieldIssue } from './spec/validation.ts';

// Configuration: the schema, parsing and validation against provider definitions, environment loading.
export { ConfigError } from './config/config-error.ts';
export {
  apiKeySchema,
  cacheSettingsSchema,
  configSchema,
  healthCheckSchema,
  keyLimitsSchema,
  modelSchema,
  providerLimitsSchema,
  providerSchema,
  providerSettingsSchema,
  routeSchema,
  routeTargetSchema,
  STRATEGIES,
} from './config/config-schema.ts';
export type {
  ApiKeyConfig,
  CircuitBreakerSettings,
  ConfigInput,
  GatewayConfig,
  HealthCheckConfig,
  KeyLimits,
  ModelConfig,
  ProviderConfig,
  ProviderInput,
  ProviderLimits,
  ProviderSettings,
  ProviderType,
  RouteConfig,
  RouteTargetConfig,
  Strategy,
} from './config/config-schema.ts';
export { environmentList, environmentValue } from './config/environment.ts';
export type { Environment } from './config/environment.ts';
export { loadConfigFile, parseConfigText } from './config/load-config-file.ts';
export { interpolateEnv, parseConfig } from './config/parse-config.ts';
export type { ParseConfigOptions } from './config/parse-config.ts';
export {
  createAdapter,
  findDefinition,
  knownProviderTypes,
  providersFromEnv,
  providerTemplates,
} from './config/provider-registry.ts';

// Virtual API keys.
export {
  API_KEY_PREFIX,
  apiKeyPrefix,
  generateApiKey,
  hashApiKey,
  sameDigest,
} from './keys/api-key.ts';
export { activeKeysFromConfig, KeyRing } from './keys/key-ring.ts';
export type { ActiveKey, AuthenticatedKey } from './keys/key-ring.ts';

// The circuit breakers' default settings (the config's `circuitBreaker` when unset).
export { DEFAULT_CIRCUIT_BREAKER_SETTINGS } from './resilience/circuit-breakers.ts';

// Clock and randomness (injectable for tests).
export { systemClock } from './util/clock.ts';
export type { Clock } from './util/clock.ts';
export { seededRandom, systemRandom } from './util/random.ts';
export type { RandomSource } from './util/random.ts';

// State shared between gateway instances.
export { MemoryStateStore } from './state/memory-state-store.ts';
export { newInstanceId, writeInBackground } from './state/state-store.ts';
export type { StateStore } from './state/state-store.ts';
export type {
  BudgetVerdict,
  QuotaCheck,
  QuotaSubject,
  QuotaVerdict,
  SharedQuota,
} from './state/shared-quota.ts';
export { LEASE_MS } from './limits/provider-limiter.ts';

// What the router is called with and answers with.
export type {
  RoutedCompletion,
  RoutedStream,
  RouteOptions,
  RouterDependencies,
  RouteTrace,
  StreamSummary,
} from './routing/route-types.ts';
export type { DefaultProviderMode } from './routing/routing-table.ts';

// Metrics and events.
export { CLIENT_DIALECTS, GatewayEvents } from './metrics/gateway-events.ts';
export type {
  ClientDialect,
  GatewayEventMap,
  GatewayEventName,
  GatewayEventsOptions,
  RequestOutcome,
  TraceIds,
} from './metrics/gateway-events.ts';
export { GatewayMetrics } from './metrics/gateway-metrics.ts';
export type { GatewayMetricsOptions } from './metrics/gateway-metrics.ts';
export { bodyLoggingFor, captureBody, DEFAULT_BODY_LOG_MAX_BYTES } from './metrics/body-capture.ts';
export type { BodyLogging, BodyLoggingSettings } from './metrics/body-capture.ts';

// The gateway engine and the seed's InferenceService.
export type { CompletionResult, StreamedCompletion } from './service/completion-result.ts';
export { Gateway } from './service/gateway.ts';
export type { GatewayOptions } from './service/gateway.ts';
export { createInferenceService, InferenceService } from './service/inference-service.ts';
export type {
  ChatCompletionResult,
  InferenceServiceOptions,
  ProviderHealth,
  ProviderSelection,
  ServiceCallOptions,
  ServiceConfig,
} from './service/inference-service.ts';
export type { RequestContext } from './service/request-context.ts';

// The transport-neutral request entry every client dialect maps onto.
export { ChatEntry, errorHeaders } from './entry/chat-entry.ts';
export type {
  AdmittedChat,
  ChatCall,
  ChatCallDetails,
  ChatEntryOptions,
  ChatReply,
  ServedHeaders,
} from './entry/chat-entry.ts';

// The HTTP front ends (Fetch API and node:http) and the OpenAI wire mapping.
export { createHttpHandler } from './http/fetch-handler.ts';
export type { FetchHandler, FetchHandlerOptions } from './http/fetch-handler.ts';
export {
  bodyTooLarge,
  CORE_ROUTES,
  createGatewayHttp,
  errorResponse,
  toOpenAIChatReply,
  toOpenAIModelList,
} from './http/gateway-http.ts';
export type { GatewayHttpOptions, OpenAIModelList } from './http/gateway-http.ts';
export { DIALECT_ROUTES } from './http/dialect-routes.ts';
export {
  jsonResponse,
  matchRoute,
  readJsonBody,
  JSON_HEADERS,
  SSE_HEADERS,
} from './http/http-route.ts';
export type {
  GatewayHttpRequest,
  GatewayHttpResponse,
  HttpCall,
  HttpRoute,
  MatchedRoute,
  SseEncoder,
} from './http/http-route.ts';
export { createNodeHandler } from './http/node-handler.ts';
export type { NodeHandler } from './http/node-handler.ts';

// Security
export { clientText, describeFailure, MAX_ECHOED_LENGTH, summarizeFailure } from './spec/errors.ts';
export { exceedsJsonDepth } from './spec/safe-json.ts';
export { UNKNOWN_ROUTE } from './metrics/gateway-metrics.ts';

// Config import security: which `${VAR}` names an imported config may reference.
export {
  CONFIG_VARIABLE_PREFIXES,
  configVariablePrefixes,
  isAllowedVariable,
} from './config/environment.ts';
export type { InterpolateOptions } from './config/parse-config.ts';

// Messages API
export {
  messagesModel,
  messagesModelList,
  isMessagesRequest,
  toMessagesModelPage,
} from './dialects/messages/messages-models.ts';
export type { MessagesModelInfo, MessagesModelPage } from './dialects/messages/messages-models.ts';
export { MESSAGES_ROUTES, toMessagesReply } from './dialects/messages/messages-routes.ts';
export { messagesErrorResponse, toMessagesError } from './dialects/messages/messages-error.ts';
export { MessagesSseEncoder, messagesErrorFrame } from './dialects/messages/messages-sse.ts';
export { parseMessagesRequest } from './dialects/messages/messages-schema.ts';
export type { MessagesRequest } from './dialects/messages/messages-schema.ts';
export { messagesToChat } from './dialects/messages/messages-to-chat.ts';
export { chatToMessage } from './dialects/messages/chat-to-message.ts';
export { MESSAGES_REASONING_ORIGIN } from './dialects/messages/messages-reasoning.ts';
export { hasMember, withMember, withoutMember } from './dialects/messages/json-members.ts';

// Responses API
export {
  MemoryResponseStore,
  parseResponsesRequest,
  RESPONSES_ROUTES,
  responsesError,
  ResponsesSseEncoder,
  responseStoreOf,
  toChatBody,
  toResponseObject,
  useResponseStore,
} from './dialects/openai-responses/index.ts';
export type {
  MemoryResponseStoreOptions,
  ResponsesRequest,
  ResponsesSseOptions,
  ResponseStore,
  StoredResponse,
} from './dialects/openai-responses/index.ts';

// Embeddings
export {
  batchesOf,
  estimateEmbeddingTokens,
  isTokenInput,
  textInputs,
} from './spec/embedding-request.ts';
export { countEmbeddingTokens } from './routing/token-count.ts';
export type { EmbeddingCall, EmbeddingInput, EmbeddingRequest } from './spec/embedding-request.ts';
export {
  fromBase64Vector,
  toBase64Vector,
  toOpenAIEmbeddingList,
} from './spec/embedding-response.ts';
export type {
  EmbeddingEncoding,
  EmbeddingResponse,
  EmbeddingUsage,
  OpenAIEmbeddingList,
} from './spec/embedding-response.ts';
export { MODEL_KINDS } from './config/config-schema.ts';
export type { ModelKind } from './config/config-schema.ts';
export { equivalentTargets, vectorSpaceOf, VectorSpaceGuard } from './routing/embedding-route.ts';
export type { RoutedEmbedding, TargetScreen } from './routing/embedding-route.ts';
export { EmbeddingCache, embeddingCacheKey } from './cache/embedding-cache.ts';
export type { EmbeddingResult } from './service/embedding-service.ts';
export type { EmbeddingReply } from './entry/embedding-entry.ts';
export { EMBEDDINGS_ROUTES, parseEmbeddingsBody } from './dialects/openai-embeddings/index.ts';

// Tracing: the contract a tracer implements (`Gateway.setTracer`), and the upstream link
export type {
  AttemptAnswer,
  AttemptError,
  AttemptStart,
  AttemptSubject,
  AttemptTrace,
  RequestEnd,
  RequestTrace,
  RequestTracer,
  TracedRequest,
} from './trace/request-tracer.ts';
export { upstreamTraceHeaders } from './trace/upstream-link.ts';

// Prices: the catalogue format, the lookup (`Gateway.setPriceCatalogue`) and the cost of a usage.
export {
  catalogueModelCount,
  newerCatalogue,
  PriceBook,
  priceCatalogueSchema,
  usageCost,
} from './pricing/index.ts';
export type { ModelPrices, PriceCatalogue, PricedModel } from './pricing/index.ts';
