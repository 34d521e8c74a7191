import { useRecordAddress } from '../../app/address';
import { EXCEPTION_STATES, type ExceptionCategory, type ExceptionRecord, type ExceptionState } from '../../../shared/domain/exceptions';
import type { FlowName } from '../../../shared/domain/flows';
import { useContractList, type ListView } from '../../data/use-contract-query';
import { CATEGORY_LABELS, FLOW_LABELS, STATE_LABELS } from '../../format/words';
import { useEngineFlows } from '../../store/engine-flows';
import { useConsole } from '../../store/react';
import { ExceptionDetailPanel } from './ExceptionDetailPanel';
import { ExceptionsTable } from './ExceptionsTable';

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
  useRecordAddress('exceptions', selectedId === null ? null : String(selectedId), (id) => {
    const n = id === null ? null : Number(id);
    selectException(n !== null && Number.isInteger(n) && n > 0 ? n : null);
  });
  const { state, flow, category, search } = useConsole((s) => s.exceptions.filter);
  // Typing is debounced so the engine is asked once per pause, not once per key; any exception that changes
  // (raised, retried, resolved, dismissed) refreshes what is shown.
  const list = useContractList(
    'exceptions.list',
    { ...(state ? { state } : {}), ...(flow ? { flow } : {}), ...(category ? { category } : {}), ...(search.trim() ? { search: search.trim() } : {}) },
    { pageSize: EXCEPTION_PAGE, refetchOn: ['exception.changed'], debounceMs: 250, rowKey: (e) => String(e.id) },
  );
  const row = selectedId === null ? null : (list.rows.find((e) => e.id === selectedId) ?? null);
  return (
    <div className="exceptions">
      <Filters list={list} />
      <div className={`split ${selectedId !== null ? 'with-detail' : ''}`}>
        <ExceptionsTable list={list} />
        {selectedId !== null ? <ExceptionDetailPanel key={selectedId} id={selectedId} row={row} onChanged={() => list.refetch()} /> : null}
      </div>
    </div>
  );
}
