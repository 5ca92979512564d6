import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { CursorPager, type CursorPages } from './cursor-pager.tsx';

function pagesAt(number: number): CursorPages {
  const noop = () => undefined;
  return { cursor: number === 1 ? undefined : 'c', number, newer: noop, older: noop, reset: noop };
}

describe('CursorPager', () => {
  it('cannot go newer than the first page nor older than the last', () => {
    const html = renderToStaticMarkup(
      <CursorPager label="Pages" pages={pagesAt(1)} nextCursor={undefined} />,
    );
    expect(html).toBe(
      '<nav class="pager" aria-label="Pages">' +
        '<button type="button" class="sy-button" disabled="">Newer</button>' +
        '<button type="button" class="sy-button" disabled="">Older</button></nav>',
    );
  });

  it('shows the page number when asked and enables both ways in the middle', () => {
    const html = renderToStaticMarkup(
      <CursorPager label="Audit pages" pages={pagesAt(3)} nextCursor="next" showPageNumber />,
    );
    expect(html).toContain('<button type="button" class="sy-button">Newer</button>');
    expect(html).toContain('<span class="sy-hint">Page 3</span>');
    expect(html).toContain('<button type="button" class="sy-button">Older</button>');
  });
});
