import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ProviderForm } from './provider-form.tsx';
import type { ProviderTemplateView, ProviderView } from './types.ts';

const template: ProviderTemplateView = {
  type: 'openai',
  label: 'OpenAI',
  fields: [{ name: 'apiKey', label: 'API key', secret: true, required: true }],
};
const provider: ProviderView = {
  id: 'openai',
  name: 'OpenAI',
  type: 'openai',
  priority: 1,
  enabled: true,
  weight: 1,
  hasApiKey: true,
  hasSecretKey: false,
};
const noop = () => Promise.resolve({ ok: true as const });

describe('ProviderForm secrets', () => {
  it('keeps the placeholder of a stored key short and says how to keep it in a hint', () => {
    const html = renderToStaticMarkup(
      <ProviderForm
        template={template}
        provider={provider}
        nextPriority={2}
        onSubmit={noop}
        onCancel={() => undefined}
      />,
    );
    const input = /<input[^>]*name="apiKey"[^>]*>/.exec(html)?.[0] ?? '';
    const placeholder = /placeholder="([^"]*)"/.exec(input)?.[1] ?? '';
    expect(placeholder).toBe('•••••••• (stored)');
    const hintId = /aria-describedby="([^"]*)"/.exec(input)?.[1] ?? '';
    expect(hintId).not.toBe('');
    expect(html).toContain(`id="${hintId}">A value is stored; leave this blank to keep it.`);
  });
});

describe('ProviderForm for a new provider', () => {
  const bedrock: ProviderTemplateView = {
    type: 'bedrock',
    label: 'Amazon Bedrock',
    fields: [
      {
        name: 'config.region',
        label: 'Region',
        secret: false,
        required: true,
        defaultValue: 'us-east-1',
        hint: 'The AWS region.',
      },
      {
        name: 'config.modelId',
        label: 'Default model ID',
        secret: false,
        required: false,
        hint: 'Optional.',
      },
    ],
  };

  it('fills real defaults in and leaves optional fields visibly empty, with a hint', () => {
    const html = renderToStaticMarkup(
      <ProviderForm
        template={bedrock}
        nextPriority={1}
        onSubmit={noop}
        onCancel={() => undefined}
      />,
    );
    const region = /<input[^>]*name="config.region"[^>]*>/.exec(html)?.[0] ?? '';
    expect(region).toContain('value="us-east-1"');
    const model = /<input[^>]*name="config.modelId"[^>]*>/.exec(html)?.[0] ?? '';
    expect(model).toContain('value=""');
    expect(model).not.toContain('placeholder=');
    const hintId = /aria-describedby="([^"]*)"/.exec(model)?.[1] ?? '';
    expect(html).toContain(`id="${hintId}">Optional.`);
  });

  it('offers model discovery before the provider is saved, when it can', () => {
    const render = (withDraft: boolean) =>
      renderToStaticMarkup(
        <ProviderForm
          template={bedrock}
          nextPriority={1}
          onSubmit={noop}
          onCancel={() => undefined}
          onDiscoverModels={() => Promise.resolve([])}
          {...(withDraft ? { onDiscoverDraftModels: () => Promise.resolve([]) } : {})}
        />,
      );
    expect(render(true)).toContain('Discover models');
    expect(render(false)).not.toContain('Discover models');
  });

  it('puts column headings over the model rows', () => {
    const html = renderToStaticMarkup(
      <ProviderForm
        template={template}
        provider={{ ...provider, models: [{ name: 'gpt', inputPricePerMTok: 1 }] }}
        nextPriority={2}
        onSubmit={noop}
        onCancel={() => undefined}
      />,
    );
    for (const heading of ['Public name', 'Vendor id', 'Input $ / 1M', 'Kind', 'Dimensions'])
      expect(html).toContain(`<span>${heading}</span>`);
  });
});
