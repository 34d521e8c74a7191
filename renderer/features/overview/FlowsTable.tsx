import type { FlowName, FlowStatus } from '../../../shared/domain/flows';
import { formatCadence, formatDateTime, formatRelative, formatSpan } from '../../format/time';
import { useNow } from '../../format/use-now';
import { FLOW_LABELS, formatCounts } from '../../format/words';
import type { HealthHistory } from '../../../shared/contract/health';
import { RunStrip } from './HealthHistory';

const OUTCOME_LABEL = { running: 'Running', succeeded: 'Succeeded', failed: 'Failed', interrupted: 'Interrupted' } as const;

export function FlowsTable({
  flows,
  recent,
  busy,
  onRun,
}: {
  flows: FlowStatus[];
  /** Each flow's latest runs (the day's history); null while it loads. */
  recent: HealthHistory['flows'] | null;
  busy: string | null;
  onRun: (flow: FlowName) => void;
}) {
  const now = useNow();
  return (
    <table className="grid flows">
      <caption>Flows</caption>
      <thead>
        <tr>
          <th scope="col">Flow</th>
          <th scope="col">Enabled</th>
          <th scope="col">Cadence</th>
          <th scope="col">Last run</th>
          <th scope="col">Counts</th>
          <th scope="col">Last success</th>
          <th scope="col">Next run</th>
          <th scope="col">Failures in a row</th>
          <th scope="col">Drift</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {flows.map((f) => (
          <tr key={f.flow} data-testid={`flow-${f.flow}`} className={f.enabled ? '' : 'muted'}>
            <th scope="row">
              {FLOW_LABELS[f.flow]}
              {/* Its latest runs under its name: the table keeps to the window's width. */}
              <RunStrip flow={f.flow} runs={recent?.find((r) => r.flow === f.flow)?.runs ?? []} />
            </th>
            <td>{f.enabled ? 'Yes' : 'No'}</td>
            <td>{formatCadence(f.cadenceSeconds)}</td>
            <td>
              {f.running ? (
                <span className="outcome outcome-running">Running now</span>
              ) : f.lastRun ? (
                <>
                  <span className={`outcome outcome-${f.lastRun.outcome}`}>{OUTCOME_LABEL[f.lastRun.outcome]}</span>{' '}
                  <time dateTime={f.lastRun.startedAt} title={formatDateTime(f.lastRun.startedAt)}>
                    {formatRelative(f.lastRun.endedAt ?? f.lastRun.startedAt, now)}
                  </time>
                </>
              ) : (
                'Never run'
              )}
            </td>
            <td>{f.lastRun ? formatCounts(f.lastRun.counts) : '—'}</td>
            <td>
              <time dateTime={f.lastSuccessAt ?? undefined} title={formatDateTime(f.lastSuccessAt)}>
                {formatRelative(f.lastSuccessAt, now)}
              </time>
            </td>
            <td>{f.enabled ? formatRelative(f.nextRunAt, now) : '—'}</td>
            <td className={f.failureStreak > 0 ? 'bad num' : 'num'}>{f.failureStreak}</td>
            <td data-drift={f.driftSeconds > 0 ? 'late' : 'on-time'} className={f.driftSeconds > 0 ? 'warn' : ''}>
              {f.driftSeconds > 0 ? <>⚠ {formatSpan(f.driftSeconds * 1000)} late</> : 'On time'}
            </td>
            <td>
              <button
                type="button"
                className="small"
                disabled={busy !== null || f.running}
                aria-label={`Run ${FLOW_LABELS[f.flow]} now`}
                onClick={() => onRun(f.flow)}
              >
                Run
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
