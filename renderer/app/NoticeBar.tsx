import { useEffect } from 'react';
import { useConsole } from '../store/react';

/** One line for the outcome of the last action, and a standing message when the engine refused this console or its disk is full. */
export function NoticeBar() {
  const notice = useConsole((s) => s.ui.notice);
  const connection = useConsole((s) => s.ui.connection);
  const clear = useConsole((s) => s.clearNotice);
  // Sync stopped because the ledger's disk is full: said on every screen until there is room again.
  const ledgerFull = useConsole((s) => s.status?.ledgerFull ?? null);

  useEffect(() => {
    // Confirmations fade; errors stay until read and dismissed.
    if (notice?.tone !== 'info') return;
    const timer = setTimeout(clear, 8000);
    return () => clearTimeout(timer);
  }, [notice, clear]);

  return (
    <>
      {ledgerFull ? (
        <div className="notice notice-error" role="alert" data-testid="ledger-full">
          {ledgerFull.message}
        </div>
      ) : null}
      {connection.kind === 'refused' ? (
        <div className="notice notice-error" role="alert">
          {connection.message}
        </div>
      ) : null}
      {notice ? (
        <div className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'} data-testid="notice">
          <span>{notice.text}</span>
          <button type="button" className="link" onClick={clear} aria-label="Dismiss message">
            ×
          </button>
        </div>
      ) : null}
    </>
  );
}
