// @switchyard/sdk/react: the seed document's two React components, bound to the package's services
// so the seed's JSX works as written. A subpath of its own, so `@switchyard/sdk` never loads React.
// Built on @switchyard/ui's presentational components; import its styles once:
// `import '@switchyard/ui/styles.css'`.
export {
  CloudProviderManager,
  type CloudProviderManagerProps,
  type ProviderManagerServices,
} from './cloud-provider-manager.tsx';
export {
  InferenceProviderSelector,
  type InferenceProviderSelectorProps,
  type ProviderSelectorServices,
} from './inference-provider-selector.tsx';
