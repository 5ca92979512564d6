import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { QueryView } from './page-parts.tsx';
import type { AppRouter } from '../server/api/root.ts';

function trpcError(
  code: 'NOT_FOUND' | 'INTERNAL_SERVER_ERROR',
  message: string,
): TRPCClientError<AppRouter> {
  return new TRPCClientError<AppRouter>(message, {
    result: {
      error: {
        message,
        code: -32_004,
        data: { code, httpStatus: 404, stack: undefined, fieldErrors: null },
      },
    },
  });
}

function render(error: unknown): string {
  const query = { data: undefined, error, isPending: false, refetch: () => undefined };
  return renderToStaticMarkup(
    <QueryView query={query} what="the request" notFoundBack={<a href="/logs">Back</a>}>
      {() => <p>data</p>}
    </QueryView>,
  );
}

describe('QueryView', () => {
  it('says plainly that a missing record is not there, without offering to try again', () => {
    const html = render(trpcError('NOT_FOUND', 'This request is not in the log.'));
    expect(html).toContain('Not found.');
    expect(html).toContain('This request is not in the log.');
    expect(html).toContain('<a href="/logs">Back</a>');
    expect(html).not.toContain('Try again');
  });

  it('offers to try again after a failure that may pass', () => {
    const html = render(trpcError('INTERNAL_SERVER_ERROR', 'The database did not answer.'));
    expect(html).toContain('The database did not answer.');
    expect(html).toContain('Try again');
    expect(html).not.toContain('Not found.');
  });
});
