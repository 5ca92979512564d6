import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { BodyLoggingSelect, bodyLoggingChoice, bodyLoggingValue } from './body-logging-select.tsx';

describe('body logging choice', () => {
  it('maps stored values to choices and back, nothing stored for inherit', () => {
    expect([true, false, null, undefined].map(bodyLoggingChoice)).toEqual([
      'on',
      'off',
      'inherit',
      'inherit',
    ]);
    expect((['on', 'off', 'inherit'] as const).map(bodyLoggingValue)).toEqual([
      true,
      false,
      undefined,
    ]);
  });

  it('labels the select, visibly or for screen readers only', () => {
    const render = (hideLabel: boolean) =>
      renderToStaticMarkup(
        <BodyLoggingSelect
          id="k"
          label="Bodies of ci's requests"
          inherits="the route and Settings"
          value="off"
          hideLabel={hideLabel}
          onChange={() => undefined}
        />,
      );
    expect(render(false)).toContain('<label for="k">Bodies of ci&#x27;s requests</label>');
    expect(render(true)).toContain('<label for="k" class="sy-visually-hidden">');
    expect(render(true)).toContain(
      '<option value="inherit">As the route and Settings say</option>',
    );
    expect(render(true)).toContain('<option value="off" selected="">');
  });
});
