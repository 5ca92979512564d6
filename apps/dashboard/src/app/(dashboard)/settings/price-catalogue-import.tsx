'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { useTRPC } from '../../../trpc/react.tsx';
import { errorMessage } from '../../../trpc/errors.ts';
import { QueryView } from '../../../components/page-parts.tsx';

/** The price catalogue in effect, and (for admins) importing a newer catalogue file. */
export function PriceCatalogueImport({ canImport }: { canImport: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const catalogue = useQuery(trpc.spend.catalogue.queryOptions());
  const [text, setText] = useState('');
  const importCatalogue = useMutation(
    trpc.spend.importCatalogue.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.spend.pathFilter()),
    }),
  );

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setText(await file.text());
  }

  return (
    <>
      <QueryView query={catalogue} what="the price catalogue">
        {(data) => (
          <p data-testid="price-catalogue-in-effect">
            Models without a price of their own are billed at the{' '}
            <strong>{data.inEffect.source}</strong> catalogue&apos;s list prices as of{' '}
            <strong>{data.inEffect.asOf}</strong> ({data.inEffect.models} models). A provider&apos;s
            own model prices always win.
          </p>
        )}
      </QueryView>
      {canImport ? (
        <form
          aria-label="Import a price catalogue"
          onSubmit={(event) => {
            event.preventDefault();
            importCatalogue.mutate({ text });
          }}
        >
          <p className="sy-hint">
            A catalogue file has the built-in file&apos;s format (packages/adapters, pricing/
            price-catalogue.json): <code>asOf</code>, and per vendor a source and its models&apos;
            prices in USD per million tokens. Only a file with a newer <code>asOf</code> replaces
            the catalogue in effect.
          </p>
          <div className="sy-field">
            <label htmlFor="price-catalogue-file">Price catalogue file (JSON)</label>
            <input
              id="price-catalogue-file"
              type="file"
              accept=".json,application/json"
              onChange={(event) => void readFile(event)}
            />
          </div>
          {importCatalogue.error ? (
            <div className="sy-alert sy-alert--error" role="alert">
              {errorMessage(importCatalogue.error)}
            </div>
          ) : null}
          {importCatalogue.data ? (
            <p className="sy-test-result" role="status">
              Imported prices as of {importCatalogue.data.asOf} ({importCatalogue.data.models}{' '}
              models).
            </p>
          ) : null}
          <div className="sy-actions">
            <button
              type="submit"
              className="sy-button sy-button--primary"
              disabled={!text.trim() || importCatalogue.isPending}
            >
              {importCatalogue.isPending ? 'Importing…' : 'Import prices'}
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}
