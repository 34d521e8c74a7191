import { useEffect, useId, useState } from 'react';
import type { BulkOutcome } from '../../../shared/contract/exceptions';
import { useCommand } from '../../app/use-command';
import { counted } from '../../format/words';
import { useConsole } from '../../store/react';
import { MIN_REASON } from './ExceptionActions';

/** Where the bulk dismissal's reason is typed: the `d` key puts the cursor there. */
export const BULK_REASON_ID = 'bulk-dismiss-reason';

/** "Retried 4. 1 refused: Exception 12 is already dismissed." */
function outcomeText(done: string, outcome: BulkOutcome): string {
  const ok = outcome.results.filter((r) => r.outcome === 'done').length;
  const refused = outcome.results.filter((r) => r.outcome === 'refused');
  const first = refused[0];
  return `${done} ${ok}.${first ? ` ${refused.length} refused: ${first.reason ?? 'no reason given'}${refused.length > 1 ? ' (and others)' : ''}.` : ''}`;
}

/**
 * Retry or dismiss every ticked exception at once. The engine takes each on its own, so one already resolved
 * elsewhere is refused with why while the rest move; the reason and the operator's name go on every one.
 */
export function BulkActions({ onChanged, retryRef }: { onChanged: () => void; retryRef?: { current: (() => void) | null } }) {
  const checked = useConsole((s) => s.exceptions.checked);
  const clear = useConsole((s) => s.clearChecked);
  const actor = useConsole((s) => s.ui.actor);
  const notify = useConsole((s) => s.notify);
  const { busy, send } = useCommand();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  const retry = async () => {
    if (!actor || checked.length === 0) return;
    const outcome = await send('retry-many', 'exceptions.retryMany', { ids: checked, actor });
    if (!outcome) return;
    notify('info', outcomeText('Retry requested for', outcome));
    clear();
    onChanged();
  };
  // The screen's r key retries the ticked ones while there are some.
  useEffect(() => {
    if (!retryRef) return;
    retryRef.current = checked.length ? () => void retry() : null;
    return () => {
      retryRef.current = null;
    };
  });

  if (checked.length === 0) return null;
  const dismiss = async () => {
    if (reason.trim().length < MIN_REASON) {
      setError(`Give a reason of at least ${MIN_REASON} characters: it is kept in the audit trail of each one.`);
      return;
    }
    setError(null);
    const outcome = await send('dismiss-many', 'exceptions.dismissMany', { ids: checked, actor: actor!, reason: reason.trim() });
    if (!outcome) return;
    notify('info', outcomeText('Dismissed', outcome));
    setReason('');
    clear();
    onChanged();
  };

  return (
    <form
      className="bulk-actions"
      aria-label="Ticked exceptions"
      data-testid="bulk-actions"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void dismiss();
      }}
    >
      <strong>{counted(checked.length, 'exception')} ticked</strong>
      {!actor ? (
        <span className="muted">Give your name at the top first: it is recorded on each one.</span>
      ) : (
        <>
          <button type="button" className="primary" disabled={busy !== null} onClick={() => void retry()}>
            Retry ticked
          </button>
          <label htmlFor={BULK_REASON_ID}>Reason</label>
          <input
            id={BULK_REASON_ID}
            value={reason}
            maxLength={500}
            placeholder="why these need nothing more"
            aria-invalid={error !== null}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" disabled={busy !== null}>
            Dismiss ticked
          </button>
        </>
      )}
      <button type="button" className="link" onClick={clear}>
        Untick all
      </button>
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
