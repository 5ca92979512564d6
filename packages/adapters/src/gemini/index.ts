// Google Gemini (native API): the adapter and the pieces other code may reuse.
export * from './gemini-chat-model.ts';
export { convertToGeminiMessages, type GeminiPrompt } from './convert-to-gemini-messages.ts';
export { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
export { geminiDefinition } from './gemini-definition.ts';
export {
  GEMINI_DEFAULT_ENDPOINT,
  geminiSettingsSchema,
  type GeminiSettings,
} from './gemini-settings.ts';
