import { useState } from 'react';
import { deadline, formatDateTime } from '../../format/time';
import { useNow } from '../../format/use-now';
import { CATEGORY_LABELS, FLOW_LABELS, SEVERITY_LABELS, STATE_LABELS, humanise } from '../../format/words';
import type { ExceptionRecord } from '../../../shared/domain/exceptions';
import { onEvent, useContractQuery } from '../../data/use-contract-query';
import { useConsole } from '../../store/react';
import { recordAddress } from '../../app/address';
import { AuditTrail } from './AuditTrail';
import { ExceptionActions } from './ExceptionActions';
import { FixInPlace } from './FixInPlace';
import { RecordStory } from './RecordStory';
import { exceptionHelp, ExceptionHelpLink } from '../handbook/HelpLink';

/** Where the record an exception is about is shown: its order, its despatch, its SKU, its payout. */
export function recordLink(ex: Pick<ExceptionRecord, 'flow' | 'record'>): { href: string; label: string } | null {
  const { type, key } = ex.record;
  if (type === 'order')
    return ex.flow === 'despatch'
      ? { href: recordAddress('despatch', key), label: `Open the despatch of ${key}` }
      : { href: recordAddress('orders', key), label: `Open order ${key}` };
  if (type === 'sku') return { href: recordAddress('stock', key), label: `Open SKU ${key} on the Stock screen` };
  if (type === 'billing-cycle') return { href: recordAddress('payouts', key), label: `Open payout ${key}` };
  return null;
}

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

/**
 * One exception: what the list row says at once, then the engine's detail with its audit trail, fetched again
 * whenever this exception changes (an operator's action here or elsewhere, or the engine raising it again).
 */
export function ExceptionDetailPanel({ id, row, onChanged }: { id: number; row: ExceptionRecord | null; onChanged: () => void }) {
  const query = useContractQuery('exceptions.get', { id }, { refetchOn: [onEvent('exception.changed', (e) => e.id === id)] });
  const detail = query.data ?? null;
  const select = useConsole((s) => s.selectException);
  const now = useNow();
  const ex = detail?.exception ?? row;
  // The command answers with the exception, not its trail: show its new state at once, then ask for the trail.
  const changed = (updated: ExceptionRecord) => {
    if (detail) query.setData({ ...detail, exception: updated });
    query.refetch();
    onChanged();
  };

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
              {recordLink(ex) ? (
                <>
                  {' '}
                  <a href={recordLink(ex)!.href} data-testid="exception-record-link">
                    {recordLink(ex)!.label}
                  </a>
                </>
              ) : null}
            </dd>
            <dt>Flow</dt>
            <dd>{FLOW_LABELS[ex.flow]}</dd>
            <dt>Type</dt>
            <dd>
              {humanise(ex.type)}
              <ExceptionHelpLink exception={ex} />
            </dd>
            <dt>Severity</dt>
            <dd>
              <span className={`sev sev-${ex.severity}`}>{SEVERITY_LABELS[ex.severity]}</span>
            </dd>
            <dt>Kind</dt>
            <dd>{CATEGORY_LABELS[ex.category]}</dd>
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
          {ex.record.type === 'order' ? <RecordStory orderId={ex.record.key} /> : null}
          <h3>Suggested action</h3>
          <p className="suggested" data-testid="suggested-action">
            {ex.suggestedAction}
          </p>
          <p>
            {/* Why it happens, exactly what to do and whom to tell: the type's section of the handbook. */}
            <a href={exceptionHelp(ex).href} data-testid="exception-handbook">
              Handbook: what it means and what to do
            </a>
          </p>
          <h3>Raw error</h3>
          <RawError text={ex.rawError} />
          <FixInPlace
            exception={ex}
            onChanged={() => {
              query.refetch();
              onChanged();
            }}
          />
          <ExceptionActions exception={ex} onChanged={changed} />
          <h3>Audit trail</h3>
          {detail ? <AuditTrail actions={detail.actions} /> : query.status === 'error' ? null : <p className="loading">Loading…</p>}
        </>
      ) : query.status === 'error' ? null : (
        <p className="loading">Loading…</p>
      )}
      {query.error ? (
        <p className="notice notice-error" role="alert" data-testid="exception-detail-error">
          Could not load exception {id}: {query.error}
        </p>
      ) : null}
    </aside>
  );
}
