'use client';
import { useState } from 'react';

/** Pages of a newest-first list, walked by the cursors the API hands back. */
export interface CursorPages {
  /** The cursor of the page showing; undefined on the first page. */
  cursor: string | undefined;
  /** 1 on the first (newest) page. */
  number: number;
  newer: () => void;
  older: (nextCursor: string | undefined) => void;
  /** Back to the first page, e.g. after the filters changed. */
  reset: () => void;
}

export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  return {
    cursor: cursors[cursors.length - 1],
    number: cursors.length,
    newer: () => setCursors(cursors.slice(0, -1)),
    older: (nextCursor) => setCursors([...cursors, nextCursor]),
    reset: () => setCursors([undefined]),
  };
}

export interface CursorPagerProps {
  /** Names the pager for screen readers. */
  label: string;
  pages: CursorPages;
  /** The API's cursor to the next older page; none on the last page. */
  nextCursor: string | undefined;
  showPageNumber?: boolean;
}

export function CursorPager({
  label,
  pages,
  nextCursor,
  showPageNumber = false,
}: CursorPagerProps) {
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="sy-button"
        disabled={pages.number === 1}
        onClick={pages.newer}
      >
        Newer
      </button>
      {showPageNumber ? <span className="sy-hint">Page {pages.number}</span> : null}
      <button
        type="button"
        className="sy-button"
        disabled={!nextCursor}
        onClick={() => pages.older(nextCursor)}
      >
        Older
      </button>
    </nav>
  );
}
