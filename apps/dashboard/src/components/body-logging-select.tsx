// The three-way body-logging choice of a route or a key: follow the level above, on, or off.
// Stored as true, false, or nothing at all (inherit).
export type BodyLoggingChoice = 'inherit' | 'on' | 'off';

export function bodyLoggingChoice(value: boolean | null | undefined): BodyLoggingChoice {
  if (value === true) return 'on';
  if (value === false) return 'off';
  return 'inherit';
}

/** The stored value of a choice: undefined for inherit. */
export function bodyLoggingValue(choice: BodyLoggingChoice): boolean | undefined {
  if (choice === 'on') return true;
  if (choice === 'off') return false;
  return undefined;
}

function isChoice(value: string): value is BodyLoggingChoice {
  return value === 'inherit' || value === 'on' || value === 'off';
}

export function BodyLoggingSelect({
  id,
  label,
  inherits,
  value,
  onChange,
  disabled,
  hideLabel,
}: {
  id: string;
  label: string;
  /** Keeps the label for screen readers only (inside a table row that already names the thing). */
  hideLabel?: boolean;
  /** What "inherit" follows, e.g. "the route and Settings". */
  inherits: string;
  value: BodyLoggingChoice;
  onChange: (choice: BodyLoggingChoice) => void;
  disabled?: boolean;
}) {
  return (
    <div className="sy-field">
      <label htmlFor={id} className={hideLabel ? 'sy-visually-hidden' : undefined}>
        {label}
      </label>
      <select
        id={id}
        name="logBodies"
        value={value}
        disabled={disabled}
        onChange={(event) => {
          if (isChoice(event.target.value)) onChange(event.target.value);
        }}
      >
        <option value="inherit">As {inherits} say</option>
        <option value="on">Log bodies (masked)</option>
        <option value="off">Never log bodies</option>
      </select>
    </div>
  );
}
