import { useId, useState } from 'react';
import type { ExceptionRecord } from '../../../shared/domain/exceptions';
import { useCommand } from '../../app/use-command';
import { useConsole } from '../../store/react';

/** The engine requires this too; checking here lets the form say so before anything is sent. */
export const MIN_REASON = 3;

/** The open exception's Retry button and dismissal reason, for the Exceptions screen's r and d keys. */
export const RETRY_BUTTON_ID = 'exception-retry';
export const DISMISS_REASON_ID = 'exception-dismiss-reason';

/** Retry and dismiss; onChanged asks the engine again for the exception, its trail and the list it leaves or stays in. */
export function ExceptionActions({ exception, onChanged }: { exception: ExceptionRecord; onChanged: (updated: ExceptionRecord) => void }) {
  const actor = useConsole((s) => s.ui.actor);
  const notify = useConsole((s) => s.notify);
  const { busy, send } = useCommand();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const reasonId = DISMISS_REASON_ID;
  const errorId = useId();
  const closed = exception.state === 'resolved' || exception.state === 'dismissed';

  if (closed) return <p className="muted">This exception is {exception.state}; nothing left to do.</p>;
  if (!actor) {
    return (
      <p className="notice notice-error" role="alert">
        Enter your name at the top right first: it is recorded on every retry and dismissal.
      </p>
    );
  }

  const retry = async () => {
    const updated = await send('retry', 'exceptions.retry', { id: exception.id, actor });
    if (updated) {
      onChanged(updated);
      notify('info', `Retry requested for ${exception.record.key}.`);
    }
  };

  const dismiss = async () => {
    if (reason.trim().length < MIN_REASON) {
      setError(`Give a reason of at least ${MIN_REASON} characters: it is kept in the audit trail.`);
      return;
    }
    setError(null);
    const updated = await send('dismiss', 'exceptions.dismiss', { id: exception.id, actor, reason: reason.trim() });
    if (updated) {
      onChanged(updated);
      setReason('');
      notify('info', `Dismissed ${exception.record.key}.`);
    }
  };

  return (
    <div className="exception-actions">
      <button type="button" id={RETRY_BUTTON_ID} className="primary" disabled={busy !== null} onClick={() => void retry()}>
        Retry
      </button>
      <form
        className="dismiss-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void dismiss();
        }}
      >
        <label htmlFor={reasonId}>Reason for dismissing</label>
        <textarea
          id={reasonId}
          value={reason}
          rows={2}
          maxLength={500}
          aria-invalid={error !== null}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => setReason(e.target.value)}
        />
        {error ? (
          <p id={errorId} className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy !== null}>
          Dismiss
        </button>
      </form>
    </div>
  );
}
