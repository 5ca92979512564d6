'use client';
import { useState } from 'react';

/** Copies `text`; says whether it worked. `label`, when given, is the accessible name and should start with `caption`. */
export function CopyButton({
  text,
  caption = 'Copy',
  label,
}: {
  text: string;
  caption?: string;
  label?: string;
}) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <button
      type="button"
      className="sy-button"
      aria-label={label}
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
          : caption}
    </button>
  );
}
