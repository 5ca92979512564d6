'use client';
import type { ReactNode } from 'react';
import { errorMessage, isNotFound } from '../trpc/errors.ts';

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {description ? <p>{description}</p> : null}
      </div>
      {actions ? <div className="sy-actions">{actions}</div> : null}
    </header>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="sy-alert sy-alert--error" role="alert">
      {errorMessage(error)}
      {onRetry ? (
        <>
          {' '}
          <button type="button" className="sy-button sy-button--small" onClick={onRetry}>
            Try again
          </button>
        </>
      ) : null}
    </div>
  );
}

/** Something that is not there (a pruned log, a deleted record): said plainly, with a way back. */
export function NotFoundNotice({ error, back }: { error: unknown; back?: ReactNode }) {
  return (
    <div className="sy-alert" role="alert" data-testid="not-found">
      <strong>Not found.</strong> {errorMessage(error)}
      {back ? <> {back}</> : null}
    </div>
  );
}

/**
 * Loading and error states for one query; renders children with the data once it is there.
 * A failure that may pass offers "Try again"; a missing record does not.
 */
export function QueryView<T>({
  query,
  what,
  notFoundBack,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  what: string;
  /** Where to go instead when the record does not exist, e.g. a link to the list. */
  notFoundBack?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error && isNotFound(query.error))
    return <NotFoundNotice error={query.error} back={notFoundBack} />;
  if (query.error) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  return <Loading what={what} />;
}

export function ReadOnlyNotice() {
  return (
    <p className="sy-hint">
      You are signed in as a viewer: you can look at everything here, but only an admin can change
      it.
    </p>
  );
}

export function formatTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
}

/** Whether a logged request succeeded: an HTTP status below 400 and no error at the end of a stream. */
export function succeeded(log: { status: number; errorKind?: string | null }): boolean {
  return log.status < 400 && !log.errorKind;
}
