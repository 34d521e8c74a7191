import { useEffect, useState } from 'react';
import { EXCEPTION_STATES, type ExceptionState } from '../../../shared/domain/exceptions';
import type { FlowName } from '../../../shared/domain/flows';
import { FLOW_LABELS, STATE_LABELS } from '../../format/words';
import { loadExceptions } from '../../store/bind';
import { useEngineFlows } from '../../store/engine-flows';
import { useApi, useConsole, useConsoleStore } from '../../store/react';
import { ExceptionDetailPanel } from './ExceptionDetailPanel';
import { ExceptionsTable } from './ExceptionsTable';

/** Filters run in the engine (SQLite), so the console stays quick with tens of thousands of exceptions. */
function Filters() {
  const api = useApi();
  const store = useConsoleStore();
  const filter = useConsole((s) => s.exceptions.filter);
  const total = useConsole((s) => s.exceptions.total);
  const flows = useEngineFlows();
  const [search, setSearch] = useState(filter.search);

  const apply = (patch: Partial<typeof filter>) => {
    store.getState().setExceptionFilter(patch);
    void loadExceptions(api, store, false);
  };

  // Typing is debounced so the engine is asked once per pause, not once per key.
  useEffect(() => {
    if (search === store.getState().exceptions.filter.search) return;
    const timer = setTimeout(() => {
      store.getState().setExceptionFilter({ search });
      void loadExceptions(api, store, false);
    }, 250);
    return () => clearTimeout(timer);
  }, [search, api, store]);

  return (
    <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <label>
        State
        <select value={filter.state ?? ''} onChange={(e) => apply({ state: (e.target.value || null) as ExceptionState | null })}>
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
        <select value={filter.flow ?? ''} onChange={(e) => apply({ flow: (e.target.value || null) as FlowName | null })}>
          <option value="">All flows</option>
          {flows.map((f) => (
            <option key={f} value={f}>
              {FLOW_LABELS[f]}
            </option>
          ))}
        </select>
      </label>
      <label className="grow">
        Search
        <input type="search" value={search} placeholder="Record key or summary, e.g. 000000086-A" maxLength={200} onChange={(e) => setSearch(e.target.value)} />
      </label>
      <span className="count" role="status" data-testid="exception-total">
        {total} {total === 1 ? 'exception' : 'exceptions'}
      </span>
    </form>
  );
}

export function ExceptionsScreen() {
  const selectedId = useConsole((s) => s.exceptions.selectedId);
  const error = useConsole((s) => s.exceptions.error);
  return (
    <div className="exceptions">
      <Filters />
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className={`split ${selectedId !== null ? 'with-detail' : ''}`}>
        <ExceptionsTable />
        {selectedId !== null ? <ExceptionDetailPanel id={selectedId} /> : null}
      </div>
    </div>
  );
}
