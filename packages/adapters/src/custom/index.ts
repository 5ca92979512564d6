// Custom HTTP endpoints described by `config.customFormat`: the definition, the adapter, the
// mapping's template engine and its finish-reason map.
export { createCustomAdapter } from './custom-chat-model.ts';
export { customDefinition } from './custom-definition.ts';
export { createCustomEmbed, readCustomEmbeddings } from './custom-embeddings.ts';
export {
  compileCustomFormat,
  CUSTOM_PLACEHOLDERS,
  EMBEDDING_PLACEHOLDERS,
  parseJsonPath,
  readJsonPath,
  renderTemplate,
  validateCustomFormat,
  type CompiledAnswerPaths,
  type CompiledCustomFormat,
  type CompiledEmbeddingsFormat,
  type CompiledStreamFormat,
  type CustomPlaceholder,
  type CustomTemplateValues,
  type EmbeddingPlaceholder,
  type JsonPath,
  type TemplateNode,
} from './custom-format.ts';
export {
  customFormatSchema,
  customSettingsSchema,
  type CustomFormat,
  type CustomSettings,
} from './custom-settings.ts';
export { mapCustomFinishReason } from './map-custom-finish-reason.ts';
