'use client';

export default function DashboardError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section className="card" role="alert">
      <h1>This page could not be shown</h1>
      <p>{error.message || 'The server did not answer as expected.'}</p>
      <p className="sy-hint">
        If this keeps happening, check the server&apos;s output: it says when the database cannot be
        opened or the configuration is invalid.{error.digest ? ` Reference: ${error.digest}.` : ''}
      </p>
      <button type="button" className="sy-button sy-button--primary" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
