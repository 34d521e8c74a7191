import { useState } from 'react';
import { deadline, formatDateTime } from '../../format/time';
import { useNow } from '../../format/use-now';
import { FLOW_LABELS, SEVERITY_LABELS, STATE_LABELS, humanise } from '../../format/words';
import { useConsole } from '../../store/react';
import { AuditTrail } from './AuditTrail';
import { ExceptionActions } from './ExceptionActions';

function RawError({ text }: { text: string | null }) {
  const [copied, setCopied] = useState(false);
  if (!text) return <p className="muted">The other system gave no error text.</p>;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false); // clipboard refused (no focus/permission): the text is selectable anyway
    }
  };
  return (
    <div className="raw-error">
      {/* Verbatim, so it can be pasted into a ticket to SAP support or the marketplace operator. */}
      <pre data-testid="raw-error" tabIndex={0} aria-label="Raw error">
        {text}
      </pre>
      <button type="button" className="small" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy raw error'}
      </button>
    </div>
  );
}

export function ExceptionDetailPanel({ id }: { id: number }) {
  const detail = useConsole((s) => (s.exceptions.detail?.exception.id === id ? s.exceptions.detail : null));
  const fromList = useConsole((s) => s.exceptions.byId[id] ?? null);
  const select = useConsole((s) => s.selectException);
  const now = useNow();
  const ex = detail?.exception ?? fromList;

  return (
    <aside className="detail" aria-label="Exception detail" data-testid="exception-detail">
      <div className="detail-head">
        <h2>{ex ? ex.summary : `Exception ${id}`}</h2>
        <button type="button" className="link" aria-label="Close detail" onClick={() => select(null)}>
          ×
        </button>
      </div>
      {ex ? (
        <>
          <dl className="facts">
            <dt>Record</dt>
            <dd>
              {humanise(ex.record.type)} <span className="mono">{ex.record.key}</span>
            </dd>
            <dt>Flow</dt>
            <dd>{FLOW_LABELS[ex.flow]}</dd>
            <dt>Type</dt>
            <dd>{humanise(ex.type)}</dd>
            <dt>Severity</dt>
            <dd>
              <span className={`sev sev-${ex.severity}`}>{SEVERITY_LABELS[ex.severity]}</span>
            </dd>
            <dt>State</dt>
            <dd>{STATE_LABELS[ex.state]}</dd>
            <dt>Deadline</dt>
            <dd>
              {ex.deadlineAt ? (
                <>
                  <span className={`deadline deadline-${deadline(ex.deadlineAt, now).urgency}`}>{deadline(ex.deadlineAt, now).text}</span> (
                  {formatDateTime(ex.deadlineAt)})
                </>
              ) : (
                'None'
              )}
            </dd>
            <dt>Seen</dt>
            <dd>
              {ex.occurrences}× — first {formatDateTime(ex.firstSeenAt)}, last {formatDateTime(ex.lastSeenAt)}
            </dd>
          </dl>
          <h3>Suggested action</h3>
          <p className="suggested" data-testid="suggested-action">
            {ex.suggestedAction}
          </p>
          <h3>Raw error</h3>
          <RawError text={ex.rawError} />
          <ExceptionActions exception={ex} />
          <h3>Audit trail</h3>
          {detail ? <AuditTrail actions={detail.actions} /> : <p className="loading">Loading…</p>}
        </>
      ) : (
        <p className="loading">Loading…</p>
      )}
    </aside>
  );
}
