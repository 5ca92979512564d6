// The client dialects served besides Chat Completions: each is a module under `dialects/` that
// contributes its routes here.
import { MESSAGES_ROUTES } from '../dialects/messages/messages-routes.ts';
import { RESPONSES_ROUTES } from '../dialects/openai-responses/responses-routes.ts';
import type { HttpRoute } from './http-route.ts';
import { EMBEDDINGS_ROUTES } from '../dialects/openai-embeddings/index.ts';
import { COMPLETIONS_ROUTES } from '../dialects/openai-completions/index.ts';

export const DIALECT_ROUTES: readonly HttpRoute[] = [
  ...MESSAGES_ROUTES,
  ...RESPONSES_ROUTES,
  ...EMBEDDINGS_ROUTES,
  ...COMPLETIONS_ROUTES,
];
