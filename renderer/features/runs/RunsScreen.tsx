import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { FlowName, Run, RunOutcome } from '../../../shared/domain/flows';
import { useContractList } from '../../data/use-contract-query';
import { formatDateTime, formatDuration } from '../../format/time';
import { useNow } from '../../format/use-now';
import { countName, FLOW_LABELS, formatCounts } from '../../format/words';
import { useEngineFlows } from '../../store/engine-flows';
import { DataTable } from '../../table/DataTable';

const TRIGGER_LABEL = { schedule: 'Schedule', manual: 'Manual', once: 'Once (CLI)' } as const;
const OUTCOME_LABEL: Record<RunOutcome, string> = { running: 'Running', succeeded: 'Succeeded', failed: 'Failed', interrupted: 'Interrupted' };

const col = createColumnHelper<Run>();

function runColumns(now: number) {
  return [
    col.accessor('flow', {
      header: 'Flow',
      cell: ({ row }) => (
        <>
          {FLOW_LABELS[row.original.flow]}
          {row.original.dryRun ? <span className="pill pill-warn small-pill">dry run</span> : null}
        </>
      ),
    }),
    col.accessor('trigger', { header: 'Trigger', cell: (c) => TRIGGER_LABEL[c.getValue()] }),
    col.accessor('startedAt', { header: 'Started', cell: (c) => <time dateTime={c.getValue()}>{formatDateTime(c.getValue())}</time> }),
    col.display({
      id: 'duration',
      header: 'Duration',
      cell: ({ row }) => <span className="num">{formatDuration(row.original.startedAt, row.original.endedAt, now)}</span>,
    }),
    col.accessor('outcome', { header: 'Outcome', cell: (c) => <span className={`outcome outcome-${c.getValue()}`}>{OUTCOME_LABEL[c.getValue()]}</span> }),
    col.accessor('counts', { header: 'Counts', cell: (c) => formatCounts(c.getValue()) }),
    col.accessor('error', {
      header: 'Error',
      cell: (c) => (
        <span className="error-cell" title={c.getValue() ?? undefined}>
          {c.getValue() ?? ''}
        </span>
      ),
    }),
  ];
}

/** Runs, newest first, a page at a time from the ledger; kept current by the engine's run and status events. */
/** One run: what it counted, its error in full, when and how it ran. */
function RunDetail({ run, onClose }: { run: Run; onClose: () => void }) {
  const now = useNow();
  const counts = Object.entries(run.counts);
  return (
    <section className="detail run-detail" aria-label="Run" data-testid="run-detail">
      <div className="detail-head">
        <h2>
          {FLOW_LABELS[run.flow]} run of {formatDateTime(run.startedAt)}
        </h2>
        <button type="button" className="link" aria-label="Close the run" onClick={onClose}>
          ×
        </button>
      </div>
      <p>
        <span className={`outcome outcome-${run.outcome}`}>{OUTCOME_LABEL[run.outcome]}</span> · {TRIGGER_LABEL[run.trigger]} ·{' '}
        {run.endedAt ? `took ${formatDuration(run.startedAt, run.endedAt, now)}, ended ${formatDateTime(run.endedAt)}` : 'still running'}
        {run.dryRun ? ' · dry run: nothing was sent' : ''}
      </p>
      {counts.length ? (
        <dl className="run-counts">
          {counts.map(([key, value]) => (
            <div key={key}>
              <dt>{countName(key)}</dt>
              <dd className="num">{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">This run counted nothing.</p>
      )}
      {run.error ? (
        <>
          <h3>Error</h3>
          <pre data-testid="run-error">{run.error}</pre>
        </>
      ) : null}
    </section>
  );
}

export function RunsScreen() {
  const [flow, setFlow] = useState<FlowName | ''>('');
  const [outcome, setOutcome] = useState<RunOutcome | ''>('');
  // The health check runs every minute: its runs would bury the others, so they show only when asked for.
  const [showHealth, setShowHealth] = useState(false);
  const [open, setOpen] = useState<Run | null>(null);
  const flows = useEngineFlows();
  const now = useNow();
  const columns = useMemo(() => runColumns(now), [now]);
  // A run that starts changes the engine's status; one that ends is announced: either way the list is asked again.
  const list = useContractList(
    'runs.list',
    { ...(flow ? { flow } : {}), ...(outcome ? { outcome } : {}), ...(!flow && !showHealth ? { exceptFlows: ['health' as const] } : {}) },
    { pageSize: 100, refetchOn: ['run.finished', 'status.changed'], rowKey: (r) => String(r.id) },
  );

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
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.target.value as RunOutcome | '')}>
            <option value="">All outcomes</option>
            {(Object.keys(OUTCOME_LABEL) as RunOutcome[]).map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABEL[o]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-check">
          <input type="checkbox" checked={showHealth || flow === 'health'} disabled={flow !== ''} onChange={(e) => setShowHealth(e.target.checked)} />
          Show health checks
        </label>
        <button type="button" onClick={() => list.refetch()}>
          Refresh
        </button>
        <span className="count">{list.status === 'ready' ? `${list.rows.length}${list.hasMore ? '+' : ''} runs` : ''}</span>
      </form>
      <DataTable
        label="Runs"
        testId="runs-table"
        what="runs"
        list={list}
        columns={columns}
        rowId={(r) => String(r.id)}
        rowTestId={(r) => `run-${r.id}`}
        empty={flow || outcome ? 'No runs match these filters.' : 'No runs yet.'}
        onOpen={setOpen}
        selectedId={open ? String(open.id) : null}
        fill
      />
      {open ? <RunDetail key={open.id} run={open} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
