'use client';
import type { ReactNode } from 'react';
import { errorMessage } from '../trpc/errors.ts';

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

/** Loading and error states for one query; renders children with the data once it is there. */
export function QueryView<T>({
  query,
  what,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
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
