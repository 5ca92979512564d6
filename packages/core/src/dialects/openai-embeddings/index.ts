export { EMBEDDINGS_ROUTES } from './embeddings-routes.ts';
export {
  embeddingsBodySchema,
  MAX_EMBEDDING_INPUTS,
  parseEmbeddingsBody,
  type EmbeddingsBody,
} from './embeddings-request.ts';
