import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { initialRouteValues, RouteForm, toRouteInput } from './route-form.tsx';

const noop = () => Promise.resolve({ ok: true as const });

describe('route form kind', () => {
  it('sends embedding routes with their kind and chat routes without one (chat is the default)', () => {
    const embedding = toRouteInput({
      ...initialRouteValues(undefined),
      name: 'vectors',
      kind: 'embedding',
      targets: [{ provider: 'openai', model: 'text-embedding-3-small', weight: '1' }],
    });
    expect(embedding.errors).toEqual({});
    expect(embedding.input).toMatchObject({ name: 'vectors', kind: 'embedding' });
    const chat = toRouteInput({ ...initialRouteValues(undefined), name: 'default' });
    expect(chat.input).not.toHaveProperty('kind');
  });

  it('offers chat and embedding, with the stored kind selected', () => {
    const stored = {
      name: 'vectors',
      kind: 'embedding' as const,
      targets: [],
      fallbacks: [],
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    expect(initialRouteValues(stored).kind).toBe('embedding');
    expect(initialRouteValues(undefined).kind).toBe('chat');
    const html = renderToStaticMarkup(
      <RouteForm
        route={stored}
        providers={[]}
        routeNames={['vectors']}
        onSubmit={noop}
        onCancel={() => undefined}
      />,
    );
    expect(html).toMatch(/<select[^>]*name="kind"/);
    expect(html).toContain('<option value="chat">');
    expect(html).toContain('<option value="embedding" selected="">');
  });
});

describe('route form body logging', () => {
  const stored = {
    name: 'private',
    targets: [],
    fallbacks: [],
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };

  it('keeps the stored choice through an edit, and sends nothing for "as Settings say"', () => {
    const off = initialRouteValues({ ...stored, logBodies: false });
    expect(off.logBodies).toBe('off');
    expect(toRouteInput(off).input).toMatchObject({ logBodies: false });
    expect(toRouteInput({ ...off, logBodies: 'on' }).input).toMatchObject({ logBodies: true });
    const inherit = initialRouteValues(stored);
    expect(inherit.logBodies).toBe('inherit');
    expect(toRouteInput(inherit).input).not.toHaveProperty('logBodies');
  });

  it('shows the three choices with the stored one selected', () => {
    const html = renderToStaticMarkup(
      <RouteForm
        route={{ ...stored, logBodies: true }}
        providers={[]}
        routeNames={['private']}
        onSubmit={noop}
        onCancel={() => undefined}
      />,
    );
    expect(html).toMatch(/<select[^>]*name="logBodies"/);
    expect(html).toContain('<option value="inherit">As Settings say</option>');
    expect(html).toContain('<option value="on" selected="">');
    expect(html).toContain('<option value="off">Never log bodies</option>');
  });
});
