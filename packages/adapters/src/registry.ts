// Adapter factories by provider type. Aliases (aws/bedrock, gcp/gemini, the local presets)
// point at the same implementation with different defaults.
import type { AdapterRegistry } from '@switchyard/core';

export const defaultAdapters: AdapterRegistry = {
};
