// Google Gemini (native API): the adapter and the pieces other code may reuse.
export * from './gemini-chat-model.ts';
export { convertToGeminiMessages, type GeminiPrompt } from './convert-to-gemini-messages.ts';
export { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
