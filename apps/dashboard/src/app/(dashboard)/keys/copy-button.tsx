'use client';
import { useState } from 'react';

/** Copies `text`; says whether it worked. `label` names what is copied, for screen readers. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <button
      type="button"
      className="sy-button"
      aria-label={label ? `Copy ${label}` : undefined}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setCopied('yes'),
          () => setCopied('failed'),
        );
      }}
    >
      {copied === 'yes'
        ? 'Copied'
        : copied === 'failed'
          ? 'Copy failed: select and copy it'
          : 'Copy'}
    </button>
  );
}
