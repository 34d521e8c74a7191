import { useId, type ReactNode } from 'react';

/** A labelled form row: the error (which stops sending) or the hint (advice only) is tied to the input for screen readers. */
export function Field({
  label,
  error,
  hint,
  note,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  /** Standing help under the input, e.g. an example address. */
  note?: ReactNode;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const messageId = `${id}-message`;
  const message = error ?? hint;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="field-input">
        {children({ id, ...(error ? { 'aria-invalid': true } : {}), ...(message ? { 'aria-describedby': messageId } : {}) })}
        {message ? (
          <span id={messageId} className={error ? 'field-error' : 'field-hint'}>
            {message}
          </span>
        ) : null}
        {note ? <span className="field-note">{note}</span> : null}
      </div>
    </div>
  );
}
