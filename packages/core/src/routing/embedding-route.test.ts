import { describe, expect, it } from 'vitest';
import {
  providerSettingsSchema,
  type ModelConfig,
  type ProviderConfig,
} from '../config/config-schema.ts';
import { AllProvidersFailedError, GatewayError } from '../spec/errors.ts';
import { equivalentTargets, VectorSpaceGuard } from './embedding-route.ts';
import type { Target } from './routing-table.ts';

function target(provider: string, model: string, config?: Partial<ModelConfig>): Target {
  const providerConfig = {
    id: provider,
    name: provider,
    type: 'openai',
    config: providerSettingsSchema.parse({}),
    priority: 1,
    enabled: true,
    weight: 1,
    models: [],
  } as ProviderConfig;
  const modelConfig = config ? { name: model, ...config } : undefined;
  return { provider: providerConfig, model, modelConfig, weight: 1 };
}

const small = target('openai', 'text-embedding-3-small', { kind: 'embedding', dimensions: 1536 });
const azureSmall = target('azure', 'embed-deploy', {
  kind: 'embedding',
  dimensions: 1536,
  space: 'text-embedding-3-small',
});
const large = target('other', 'text-embedding-3-large', { kind: 'embedding', dimensions: 3072 });

describe('vector space equivalence', () => {
  it('same declared space and dimensions are equivalent; another model or size is not', () => {
    expect(equivalentTargets(small, azureSmall)).toBe(true);
    expect(equivalentTargets(small, large)).toBe(false);
    const shortened = target('azure', 'embed-deploy', {
      kind: 'embedding',
      dimensions: 512,
      space: 'text-embedding-3-small',
    });
    expect(equivalentTargets(small, shortened)).toBe(false);
  });
});

describe('VectorSpaceGuard', () => {
  it('anchors on the first target and refuses the others outside its space', () => {
    const guard = new VectorSpaceGuard('embed');
    expect(guard.screen(small, undefined)).toBeUndefined();
    expect(guard.screen(azureSmall, undefined)).toBeUndefined();
    const refused = guard.screen(large, undefined);
    expect(refused?.record.message).toContain('not equivalent to openai/text-embedding-3-small');
    expect(guard.accepts(large, undefined)).toBe(false);
    expect(guard.accepts(azureSmall, undefined)).toBe(true);
  });

  it('turns an exhausted run with refusals into a 502 naming why', () => {
    const guard = new VectorSpaceGuard('embed');
    guard.screen(small, undefined);
    guard.screen(large, undefined);
    const explained = guard.explain(new AllProvidersFailedError([]));
    expect(explained).toBeInstanceOf(GatewayError);
    expect(explained).toMatchObject({ status: 502, code: 'no_equivalent_fallback' });
    expect((explained as GatewayError).message).toMatch(
      /other\/text-embedding-3-large.*never mixes vector spaces/,
    );
  });

  it('a chat model cannot embed: a 400 naming model', () => {
    const guard = new VectorSpaceGuard('chat');
    const chat = target('openai', 'gpt-4o', {});
    expect(guard.screen(chat, undefined)?.record.message).toContain('is a chat model');
    expect(guard.explain(new AllProvidersFailedError([]))).toMatchObject({
      status: 400,
      param: 'model',
      code: 'model_not_embedding',
    });
  });

  it('leaves other errors alone', () => {
    const guard = new VectorSpaceGuard('embed');
    guard.screen(small, undefined);
    const error = new GatewayError({
      status: 429,
      type: 'rate_limit_error',
      code: 'x',
      message: 'm',
    });
    expect(guard.explain(error)).toBe(error);
  });
});
