import type { ReactNode } from 'react';

export interface ConfirmButtonProps {
  /** The button's text before it asks, e.g. `Delete`. */
  label: string;
  /** What it asks, e.g. `Delete main?`. */
  question: ReactNode;
  /** The text of the button that goes ahead, e.g. `Yes, delete`. */
  confirmLabel: string;
  /** The text of the button that backs out. */
  cancelLabel?: string;
  /** Whether it is asking; the parent holds this, so that one row of a list asks at a time. */
  asking: boolean;
  onAskingChange: (asking: boolean) => void;
  onConfirm: () => void;
  /** Small buttons, for table rows. */
  small?: boolean;
  /** Names the question for screen readers. */
  groupLabel?: string;
}

/** A destructive button that asks inline before it acts. */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  cancelLabel = 'Keep',
  asking,
  onAskingChange,
  onConfirm,
  small = false,
  groupLabel,
}: ConfirmButtonProps) {
  const buttonClass = small ? 'sy-button sy-button--small' : 'sy-button';
  const dangerClass = `${buttonClass} sy-button--danger`;
  if (!asking)
    return (
      <button type="button" className={dangerClass} onClick={() => onAskingChange(true)}>
        {label}
      </button>
    );
  return (
    <span
      className="sy-confirm"
      {...(groupLabel === undefined ? {} : { role: 'group', 'aria-label': groupLabel })}
    >
      {question}
      <button
        type="button"
        className={dangerClass}
        autoFocus
        onClick={() => {
          onAskingChange(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className={buttonClass} onClick={() => onAskingChange(false)}>
        {cancelLabel}
      </button>
    </span>
  );
}
