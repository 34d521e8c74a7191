import { useEffect, useState } from 'react';
import type { FlowName } from '../../../shared/domain/flows';
import { formatDateTime, formatDuration } from '../../format/time';
import { useNow } from '../../format/use-now';
import { FLOW_LABELS, formatCounts } from '../../format/words';
import { loadRuns } from '../../store/bind';
import { useEngineFlows } from '../../store/engine-flows';
import { useApi, useConsole, useConsoleStore } from '../../store/react';

const TRIGGER_LABEL = { schedule: 'Schedule', manual: 'Manual', once: 'Once (CLI)' } as const;
const OUTCOME_LABEL = { running: 'Running', succeeded: 'Succeeded', failed: 'Failed', interrupted: 'Interrupted' } as const;

/** Recent runs, newest first; run.finished events keep it current while the screen is open. */
export function RunsScreen() {
  const api = useApi();
  const store = useConsoleStore();
  const runs = useConsole((s) => s.runs);
  const [flow, setFlow] = useState<FlowName | ''>('');
  const flows = useEngineFlows();
  const now = useNow();

  // Refresh on opening the screen: runs that started (not yet finished) arrive only through a fresh list.
  useEffect(() => {
    void loadRuns(api, store);
  }, [api, store]);

  const shown = flow ? runs.filter((r) => r.flow === flow) : runs;

  return (
    <div className="runs">
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Flow
          <select value={flow} onChange={(e) => setFlow(e.target.value as FlowName | '')}>
            <option value="">All flows</option>
            {flows.map((f) => (
              <option key={f} value={f}>
                {FLOW_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void loadRuns(api, store)}>
          Refresh
        </button>
        <span className="count">{shown.length} runs</span>
      </form>
      <div className="table-scroll">
        <table className="grid" aria-label="Runs" data-testid="runs-table">
          <thead>
            <tr>
              <th scope="col">Flow</th>
              <th scope="col">Trigger</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Outcome</th>
              <th scope="col">Counts</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} data-testid={`run-${r.id}`}>
                <td>
                  {FLOW_LABELS[r.flow]}
                  {r.dryRun ? <span className="pill pill-warn small-pill">dry run</span> : null}
                </td>
                <td>{TRIGGER_LABEL[r.trigger]}</td>
                <td>
                  <time dateTime={r.startedAt}>{formatDateTime(r.startedAt)}</time>
                </td>
                <td className="num">{formatDuration(r.startedAt, r.endedAt, now)}</td>
                <td>
                  <span className={`outcome outcome-${r.outcome}`}>{OUTCOME_LABEL[r.outcome]}</span>
                </td>
                <td>{formatCounts(r.counts)}</td>
                <td className="error-cell" title={r.error ?? undefined}>
                  {r.error ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? <p className="empty">No runs yet.</p> : null}
      </div>
    </div>
  );
}
