// The Anthropic Messages API adapter.
export type {
  AnthropicRequestBody,
  AnthropicRequestMessage,
  AnthropicRequestBlock,
  AnthropicTool,
  AnthropicToolChoice,
} from './anthropic-api.ts';
export {
  createAnthropicAdapter,
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  DEFAULT_ANTHROPIC_VERSION,
} from './anthropic-chat-model.ts';
export { anthropicError, anthropicErrorFromResponse } from './anthropic-error.ts';
export {
  anthropicStreamFormat,
  AnthropicStreamDecoder,
  readAnthropicStream,
  type AnthropicStreamContext,
} from './anthropic-stream.ts';
export {
  convertToAnthropicMessages,
  type AnthropicPrompt,
} from './convert-to-anthropic-messages.ts';
export {
  convertToAnthropicRequest,
  type AnthropicRequestTarget,
} from './convert-to-anthropic-request.ts';
export { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
export { mapAnthropicResponse } from './map-anthropic-response.ts';
export { mapAnthropicUsage } from './map-anthropic-usage.ts';
export { anthropicDefinition } from './anthropic-definition.ts';
export {
  ANTHROPIC_DEFAULT_ENDPOINT,
  anthropicSettingsSchema,
  type AnthropicSettings,
} from './anthropic-settings.ts';
