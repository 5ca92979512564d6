// Cohere (v2 chat): the adapter and the pieces other code may reuse.
export { createCohereAdapter } from './cohere-chat-model.ts';
export { cohereErrorFromResponse } from './cohere-error.ts';
export { cohereStreamFormat, readCohereStream, type CohereStreamContext } from './cohere-stream.ts';
export { convertToCohereMessages } from './convert-to-cohere-messages.ts';
export { convertToCohereRequest, type CohereRequestTarget } from './convert-to-cohere-request.ts';
export { mapCohereFinishReason } from './map-cohere-finish-reason.ts';
export {
  mapCohereResponse,
  mapCohereUsage,
  type CohereResponseContext,
} from './map-cohere-response.ts';
export { cohereDefinition } from './cohere-definition.ts';
export {
  COHERE_DEFAULT_ENDPOINT,
  cohereSettingsSchema,
  type CohereSettings,
} from './cohere-settings.ts';
