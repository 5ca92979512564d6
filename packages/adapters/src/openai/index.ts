// OpenAI Chat Completions: the adapter shared by OpenAI, Azure OpenAI and OpenAI-compatible servers.
export {
  createOpenAIAdapter,
  createOpenAIChatModel,
  openAIBaseUrl,
  type OpenAIChatModelSettings,
} from './openai-chat-model.ts';
export {
  convertToOpenAIRequest,
  FULL_OPENAI_CAPABILITIES,
  type OpenAIAnswerChangingField,
  type OpenAIRequestCapabilities,
  type OpenAIRequestTarget,
} from './convert-to-openai-request.ts';
export {
  classifyOpenAIError,
  openAIErrorFromResponse,
  type OpenAIErrorContext,
} from './openai-error.ts';
export { mapOpenAICompatibleFinishReason } from './map-openai-finish-reason.ts';
export { mapOpenAIResponse } from './map-openai-response.ts';
export { openAIStreamFormat, readOpenAIStream, type OpenAIStreamContext } from './openai-stream.ts';
export { readOpenAIError, type OpenAIErrorDetails } from './openai-api.ts';
export { openAIDefinition } from './openai-definition.ts';
export {
  OPENAI_DEFAULT_ENDPOINT,
  openAISettingsSchema,
  type OpenAISettings,
} from './openai-settings.ts';
