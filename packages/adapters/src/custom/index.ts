// Custom HTTP endpoints described by `config.customFormat`: the adapter and its finish-reason map.
export { createCustomAdapter } from './custom-chat-model.ts';
export { mapCustomFinishReason } from './map-custom-finish-reason.ts';
