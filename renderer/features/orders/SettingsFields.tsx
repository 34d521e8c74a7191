import { useId, type ReactNode } from 'react';

/** A labelled text field with its hint and its check, so every orders setting reads the same way. */
export function TextField({
  label,
  value,
  hint,
  error,
  onChange,
  multiline,
}: {
  label: string;
  value: string;
  hint?: string;
  error?: string;
  onChange: (v: string) => void;
  multiline?: boolean;
}) {
  const hintId = useId();
  const props = { 'aria-label': label, value, 'aria-invalid': error ? true : undefined, 'aria-describedby': hint ? hintId : undefined };
  return (
    <label className="setting">
      {label}
      {multiline ? (
        <textarea rows={4} {...props} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...props} onChange={(e) => onChange(e.target.value)} />
      )}
      {hint ? (
        <span id={hintId} className="muted">
          {hint}
        </span>
      ) : null}
      {error ? <span className="field-error">{error}</span> : null}
    </label>
  );
}

export interface Choice<T extends string> {
  value: T;
  label: string;
  /** One line on what the option does, read out with it. */
  explanation: string;
}

/** Radio buttons with a one-line explanation under each, for settings whose options need saying in words. */
export function Choices<T extends string>({
  legend,
  name,
  choices,
  value,
  onChange,
  children,
}: {
  legend: string;
  name: string;
  choices: Choice<T>[];
  value: T;
  onChange: (v: T) => void;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <fieldset className="setting-choices">
      <legend>{legend}</legend>
      {choices.map((c) => (
        <div key={c.value} className="choice">
          <label>
            <input
              type="radio"
              name={`${name}-${id}`}
              value={c.value}
              checked={value === c.value}
              aria-describedby={`${id}-${c.value}`}
              onChange={() => onChange(c.value)}
            />{' '}
            {c.label}
          </label>
          <span id={`${id}-${c.value}`} className="muted">
            {c.explanation}
          </span>
        </div>
      ))}
      {children}
    </fieldset>
  );
}
