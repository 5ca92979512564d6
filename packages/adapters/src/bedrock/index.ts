// The AWS Bedrock (Converse / ConverseStream) adapter.
export type {
  ConverseRequestBody,
  BedrockContentBlock,
  BedrockMessage,
  BedrockToolSpec,
  BedrockToolChoice,
} from './bedrock-api.ts';
export {
  bearerAuth,
  BEDROCK_SIGNING_SERVICE,
  sigV4Auth,
  type BedrockAuth,
  type BedrockCredentials,
  type SignableRequest,
} from './bedrock-auth.ts';
export { createBedrockAdapter } from './bedrock-chat-model.ts';
export { bedrockError, bedrockErrorFromResponse, bedrockExceptionName } from './bedrock-error.ts';
export {
  bedrockRequestId,
  bedrockStreamFormat,
  BedrockStreamDecoder,
  readBedrockStream,
  type BedrockStreamContext,
} from './bedrock-stream.ts';
export {
  convertToBedrockRequest,
  type BedrockRequestTarget,
} from './convert-to-bedrock-request.ts';
export {
  convertToBedrockMessages,
  type BedrockPrompt,
  type BedrockPromptOptions,
} from './convert-to-bedrock-messages.ts';
export { mapBedrockFinishReason } from './map-bedrock-finish-reason.ts';
export { mapBedrockResponse, type BedrockResponseContext } from './map-bedrock-response.ts';
export { mapBedrockUsage } from './map-bedrock-usage.ts';
export { bedrockDefinition } from './bedrock-definition.ts';
export {
  bedrockRuntimeEndpoint,
  bedrockSettingsIssues,
  bedrockSettingsSchema,
  regionFromBedrockEndpoint,
  type BedrockSettings,
} from './bedrock-settings.ts';
