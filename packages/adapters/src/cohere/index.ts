// Cohere (v2 chat): the adapter and the pieces other code may reuse.
export * from './cohere-chat-model.ts';
export { convertToCohereMessages } from './convert-to-cohere-messages.ts';
export { mapCohereFinishReason } from './map-cohere-finish-reason.ts';
export { cohereDefinition } from './cohere-definition.ts';
export {
  COHERE_DEFAULT_ENDPOINT,
  cohereSettingsSchema,
  type CohereSettings,
} from './cohere-settings.ts';
