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
