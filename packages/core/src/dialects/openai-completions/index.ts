export { COMPLETIONS_ROUTES } from './completions-routes.ts';
export {
  completionsBodySchema,
  parseCompletionsBody,
  toChatBody,
  untranslatableFields,
  type CompletionsBody,
} from './completions-request.ts';
export { CompletionsSseEncoder, toCompletionBody } from './completions-render.ts';
