import { typingIn, useRecordAddress } from '../../app/address';
import { EXCEPTION_STATES, type ExceptionCategory, type ExceptionRecord, type ExceptionState, type Severity } from '../../../shared/domain/exceptions';
import type { FlowName } from '../../../shared/domain/flows';
import { useContractList, type ListView } from '../../data/use-contract-query';
import { CATEGORY_LABELS, FLOW_LABELS, SEVERITY_LABELS, STATE_LABELS } from '../../format/words';
import { useEngineFlows } from '../../store/engine-flows';
import { useConsole } from '../../store/react';
import { useEffect, useRef } from 'react';
import { BULK_REASON_ID, BulkActions } from './BulkActions';
import { DISMISS_REASON_ID, RETRY_BUTTON_ID } from './ExceptionActions';
import { ExceptionDetailPanel } from './ExceptionDetailPanel';
import { TypeGroups } from './TypeGroups';
import { ExceptionsTable } from './ExceptionsTable';

/** Most serious first, as the filter lists them. */
const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

/** Exceptions per page; the next page is asked for as the operator scrolls. */
export const EXCEPTION_PAGE = 100;

/** Filters run in the engine (SQLite), so the console stays quick with tens of thousands of exceptions. */
function Filters({ list }: { list: ListView<ExceptionRecord> }) {
  const filter = useConsole((s) => s.exceptions.filter);
  const setFilter = useConsole((s) => s.setExceptionFilter);
  const flows = useEngineFlows();
  const total = list.total ?? 0;

  return (
    <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <label>
        State
        <select value={filter.state ?? ''} onChange={(e) => setFilter({ state: (e.target.value || null) as ExceptionState | null })}>
          <option value="">All states</option>
          {EXCEPTION_STATES.map((s) => (
            <option key={s} value={s}>
              {STATE_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Flow
        <select value={filter.flow ?? ''} onChange={(e) => setFilter({ flow: (e.target.value || null) as FlowName | null })}>
          <option value="">All flows</option>
          {flows.map((f) => (
            <option key={f} value={f}>
              {FLOW_LABELS[f]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Kind
        <select value={filter.category ?? ''} onChange={(e) => setFilter({ category: (e.target.value || null) as ExceptionCategory | null })}>
          <option value="">Both kinds</option>
          {(['business', 'technical'] as const).map((c) => (
            <option key={c} value={c}>
              {CATEGORY_LABELS[c]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Severity
        <select value={filter.severity ?? ''} onChange={(e) => setFilter({ severity: (e.target.value || null) as Severity | null })}>
          <option value="">Every severity</option>
          {SEVERITIES.map((v) => (
            <option key={v} value={v}>
              {SEVERITY_LABELS[v]}
            </option>
          ))}
        </select>
      </label>
      <label className="grow">
        Search
        <input
          type="search"
          value={filter.search}
          placeholder="Record key or summary, e.g. 000000086-A"
          maxLength={200}
          onChange={(e) => setFilter({ search: e.target.value })}
        />
      </label>
      <span className="count" role="status" data-testid="exception-total">
        {list.status === 'ready' ? `${total} ${total === 1 ? 'exception' : 'exceptions'}` : ''}
      </span>
    </form>
  );
}

export function ExceptionsScreen() {
  const selectedId = useConsole((s) => s.exceptions.selectedId);
  const selectException = useConsole((s) => s.selectException);
  const checkExceptions = useConsole((s) => s.checkExceptions);
  useRecordAddress('exceptions', selectedId === null ? null : String(selectedId), (id) => {
    const n = id === null ? null : Number(id);
    selectException(n !== null && Number.isInteger(n) && n > 0 ? n : null);
  });
  const { state, flow, category, severity, type, search } = useConsole((s) => s.exceptions.filter);
  // Typing is debounced so the engine is asked once per pause, not once per key; any exception that changes
  // (raised, retried, resolved, dismissed) refreshes what is shown.
  const list = useContractList(
    'exceptions.list',
    {
      ...(state ? { state } : {}),
      ...(flow ? { flow } : {}),
      ...(category ? { category } : {}),
      ...(severity ? { severity } : {}),
      ...(type ? { type } : {}),
      ...(search.trim() ? { search: search.trim() } : {}),
    },
    { pageSize: EXCEPTION_PAGE, refetchOn: ['exception.changed'], debounceMs: 250, rowKey: (e) => String(e.id) },
  );
  const row = selectedId === null ? null : (list.rows.find((e) => e.id === selectedId) ?? null);
  const bulkRetry = useRef<(() => void) | null>(null);

  // The keys people who clear queues all day expect: j/k down and up, x ticks, r retries, d types the dismissal's reason.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typingIn(e.target)) return;
      const rows = list.rows;
      const at = rows.findIndex((r) => r.id === selectedId);
      if (e.key === 'j' || e.key === 'k') {
        const next = rows[e.key === 'j' ? Math.min(rows.length - 1, at + 1) : Math.max(0, at - 1)];
        if (next) selectException(next.id);
      } else if (e.key === 'x' && selectedId !== null) checkExceptions([selectedId], null);
      else if (e.key === 'r') {
        if (bulkRetry.current) bulkRetry.current();
        else document.getElementById(RETRY_BUTTON_ID)?.click();
      } else if (e.key === 'd') document.getElementById(bulkRetry.current ? BULK_REASON_ID : DISMISS_REASON_ID)?.focus();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [list.rows, selectedId, selectException, checkExceptions]);

  return (
    <div className="exceptions">
      <Filters list={list} />
      <TypeGroups />
      <BulkActions onChanged={() => list.refetch()} retryRef={bulkRetry} />
      <div className={`split ${selectedId !== null ? 'with-detail' : ''}`}>
        <ExceptionsTable list={list} />
        {selectedId !== null ? <ExceptionDetailPanel key={selectedId} id={selectedId} row={row} onChanged={() => list.refetch()} /> : null}
      </div>
      <p className="muted keys-hint">Keys: j and k move down and up, x ticks, r retries, d dismisses (type the reason), Escape closes.</p>
    </div>
  );
}
