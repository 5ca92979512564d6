// Google Gemini (native API): the adapter and the pieces other code may reuse.
export { createGeminiAdapter } from './gemini-chat-model.ts';
export { geminiErrorFromPayload, geminiErrorFromResponse } from './gemini-error.ts';
export { geminiStreamFormat, readGeminiStream, type GeminiStreamContext } from './gemini-stream.ts';
export { convertToGeminiMessages, type GeminiPrompt } from './convert-to-gemini-messages.ts';
export { convertToGeminiRequest, type GeminiRequestTarget } from './convert-to-gemini-request.ts';
export { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
export {
  mapGeminiResponse,
  mapGeminiUsage,
  type GeminiResponseContext,
} from './map-gemini-response.ts';
export { geminiDefinition } from './gemini-definition.ts';
export {
  GEMINI_DEFAULT_ENDPOINT,
  geminiSettingsSchema,
  type GeminiSettings,
} from './gemini-settings.ts';
