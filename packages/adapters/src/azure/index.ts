// Azure OpenAI: the OpenAI adapter with Azure's URLs and auth.
export {
  AZURE_DEFAULT_API_VERSION,
  azureUrls,
  createAzureAdapter,
  type AzureUrls,
} from './azure-chat-model.ts';
export { azureDefinition } from './azure-definition.ts';
export { azureSettingsSchema, type AzureSettings } from './azure-settings.ts';
