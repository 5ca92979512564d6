'use client';
import { useId, useState } from 'react';
import { CopyButton } from './copy-button.tsx';
import { keySnippets, type KeySnippet } from './key-snippets.ts';

/** Tabs of client code with the key filled in, each with a copy button. */
export function KeySnippetsPanel({ apiKey, model }: { apiKey: string; model: string }) {
  const id = useId();
  const snippets = keySnippets({ origin: window.location.origin, key: apiKey, model });
  const [selected, setSelected] = useState<KeySnippet['id']>('curl');
  const current = snippets.find((snippet) => snippet.id === selected) ?? snippets[0];
  if (!current) return null;
  return (
    <section className="key-snippets" aria-label="Code to use the key">
      <div className="key-snippets__tabs" role="tablist" aria-label="Client">
        {snippets.map((snippet) => (
          <button
            key={snippet.id}
            type="button"
            role="tab"
            id={`${id}-${snippet.id}`}
            aria-selected={snippet.id === current.id}
            aria-controls={`${id}-panel`}
            className="sy-button sy-button--small"
            onClick={() => setSelected(snippet.id)}
          >
            {snippet.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${current.id}`}>
        <pre className="body" data-testid="key-snippet">
          <code>{current.code}</code>
        </pre>
        <CopyButton text={current.code} caption="Copy code" label={`Copy code: ${current.label}`} />
      </div>
    </section>
  );
}
