import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { describeSwitch, RequestDefaults } from './request-defaults.tsx';
import type { RouterOutputs } from '../../../server/api/index.ts';

type Settings = RouterOutputs['settings']['get'];

describe('What serves a request', () => {
  it('describes the switch as the router applies it', () => {
    expect(describeSwitch({ defaultProvider: 'auto', autoFallback: false })).toMatch(
      /every enabled provider/,
    );
    expect(describeSwitch({ defaultProvider: 'cloud', autoFallback: true })).toMatch(
      /cloud providers first.*then the other enabled providers/,
    );
    expect(describeSwitch({ defaultProvider: 'lm-studio', autoFallback: false })).toMatch(
      /local providers.*only.*the request fails/,
    );
    expect(describeSwitch({ defaultProvider: 'primary', autoFallback: false })).toContain(
      'the provider "primary" only',
    );
  });

  it('shows the current default route, switch and strategy, with links to where they are set', () => {
    const html = renderToStaticMarkup(
      <RequestDefaults
        settings={
          {
            defaultRoute: 'chat',
            defaultProvider: 'cloud',
            autoFallback: false,
            loadBalancing: 'weighted',
          } as Settings
        }
      />,
    );
    expect(html).toContain('Default route: <strong>chat</strong>');
    expect(html).toContain('<strong>Cloud, no automatic fallback</strong>');
    expect(html).toContain('now <strong>weighted</strong>');
    expect(html).toContain('href="/providers"');
    expect(html).toContain('href="/routes"');
  });
});
