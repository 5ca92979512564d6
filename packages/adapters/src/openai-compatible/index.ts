// OpenAI-compatible servers as presets of the OpenAI adapter.
export { createOpenAICompatibleAdapter } from './openai-compatible-chat-model.ts';
export {
  isOpenAICompatibleType,
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
  type OpenAICompatibleType,
} from './openai-compatible-presets.ts';
export { openAICompatibleDefinitions } from './openai-compatible-definition.ts';
export {
  openAICompatibleSettingsSchema,
  type OpenAICompatibleSettings,
} from './openai-compatible-settings.ts';
