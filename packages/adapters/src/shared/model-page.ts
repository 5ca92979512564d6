// One page of a vendor's paged model listing, read from its JSON body: the shape checked, the
// usable models kept, the next page's token. Gemini and Cohere list models this way.
import type { ModelInfo } from '@switchyard/core';
import type { ModelPage } from '../http/index.ts';
import { protocolError } from './request-errors.ts';

export interface ModelPageFormat<List> {
  /** The vendor's name, for error messages. */
  vendor: string;
  isList(body: unknown): body is List;
  models(list: List): readonly (ModelInfo | undefined)[];
  next(list: List): string | null | undefined;
}

export function modelPageFrom<List>(
  provider: string,
  body: unknown,
  status: number,
  format: ModelPageFormat<List>,
): ModelPage {
  if (body === undefined)
    throw protocolError(provider, `${format.vendor} answered with a body that is not JSON`, status);
  if (!format.isList(body))
    throw protocolError(provider, `${format.vendor} model list has an unexpected shape`);
  const models = format.models(body).filter((model): model is ModelInfo => model !== undefined);
  const next = format.next(body);
  return { models, ...(next ? { next } : {}) };
}
