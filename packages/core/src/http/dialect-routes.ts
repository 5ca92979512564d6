// The client dialects served besides Chat Completions: each is a module under `dialects/` that
// contributes its routes here.
import type { HttpRoute } from './http-route.ts';
import { EMBEDDINGS_ROUTES } from '../dialects/openai-embeddings/index.ts';
import { COMPLETIONS_ROUTES } from '../dialects/openai-completions/index.ts';

export const DIALECT_ROUTES: readonly HttpRoute[] = [...EMBEDDINGS_ROUTES, ...COMPLETIONS_ROUTES];
