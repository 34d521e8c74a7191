import type { HealthHistory } from '../../../shared/contract/health';
import { recordAddress } from '../../app/address';
import { onEvent, useContractQuery } from '../../data/use-contract-query';
import { deadline, formatDateTime, formatSpan } from '../../format/time';
import { useNow } from '../../format/use-now';
import { FLOW_LABELS, counted } from '../../format/words';
import { LatencyChart } from './LatencyChart';

const SYSTEM_LABELS: Record<string, string> = { 'sap-b1': 'SAP Business One', marketplace: 'John Lewis Marketplace' };
const REFRESH = [onEvent('run.finished', () => true)];

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(part === 0 ? 0 : 1)}%`);
const ms = (v: number | null) => (v === null ? '—' : v >= 30_000 ? '> 30 s' : `≤ ${v} ms`);

/** What needs a person first: open exceptions with a deadline, soonest first, each a click from its record. */
export function NeedsYou({ due }: { due: HealthHistory['due'] }) {
  const now = useNow();
  return (
    <section className="needs-you" aria-label="Needs you now" data-testid="needs-you">
      <h2>Needs you now</h2>
      {due.length === 0 ? (
        <p className="muted">Nothing with a deadline is waiting.</p>
      ) : (
        <ul>
          {due.map((e) => {
            const d = deadline(e.deadlineAt, now);
            return (
              <li key={e.id}>
                <span className={`deadline deadline-${d.urgency}`} title={formatDateTime(e.deadlineAt)}>
                  {d.text}
                </span>{' '}
                <a href={recordAddress('exceptions', String(e.id))}>{e.summary}</a>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Per system: the day's requests, error rate and latency, and the chart of it. */
function Systems({ history }: { history: HealthHistory }) {
  if (history.systems.length === 0)
    return <p className="muted">No requests to SAP or the marketplace in the last {formatSpan(Date.parse(history.until) - Date.parse(history.from))}.</p>;
  return (
    <div className="systems">
      {history.systems.map((s) => (
        <section key={s.system} className="system-card" aria-label={SYSTEM_LABELS[s.system] ?? s.system} data-testid={`system-${s.system}`}>
          <h3>{SYSTEM_LABELS[s.system] ?? s.system}</h3>
          <p className="system-figures">
            {counted(s.total.requests, 'request')} · <span className={s.total.failures ? 'bad' : ''}>{percent(s.total.failures, s.total.requests)} failed</span>{' '}
            · p50 {ms(s.total.p50)} · p95 {ms(s.total.p95)}
          </p>
          <LatencyChart label={SYSTEM_LABELS[s.system] ?? s.system} windows={s.windows} />
        </section>
      ))}
    </div>
  );
}

const every = (windowMs: number) =>
  windowMs === 60_000 ? 'a minute' : windowMs === 3_600_000 ? 'an hour' : windowMs === 86_400_000 ? 'a day' : `every ${formatSpan(windowMs)}`;

/** The marketplace's published maxima and how much of each is in use now. */
function Budget({ budget }: { budget: HealthHistory['budget'] }) {
  return (
    <table className="grid budget" data-testid="call-budget">
      <caption>Marketplace call budget</caption>
      <thead>
        <tr>
          <th scope="col">Call</th>
          <th scope="col">Allowed</th>
          <th scope="col">Used now</th>
          <th scope="col">
            <span className="sr-only">Share used</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {budget.map((b) => (
          <tr key={`${b.operation}-${b.windowMs}`} data-testid={`budget-${b.operation}`}>
            <th scope="row" className="mono">
              {b.operation}
            </th>
            <td>
              {b.limit} {every(b.windowMs)}
            </td>
            <td className="num">
              {b.used} of {b.limit}
              {b.pausedUntil ? <span className="warn"> · held back until {formatDateTime(b.pausedUntil)}</span> : null}
            </td>
            <td className="budget-bar-cell">
              <span className="budget-bar" style={{ width: `${Math.min(100, (100 * b.used) / b.limit)}%` }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The Overview's picture of the day, asked again after every run. */
export function useHealthHistory() {
  return useContractQuery('health.history', { hours: 24 }, { refetchOn: REFRESH });
}

/** How each system answered over the day, and the call budget. */
export function DayPanels({ history }: { history: HealthHistory }) {
  return (
    <div className="health-history">
      <h2>The last 24 hours</h2>
      <Systems history={history} />
      <Budget budget={history.budget} />
    </div>
  );
}

/** A flow's latest runs as a strip, oldest first: green succeeded, red failed, grey interrupted. */
export function RunStrip({ runs, flow }: { runs: HealthHistory['flows'][number]['runs']; flow: keyof typeof FLOW_LABELS }) {
  if (runs.length === 0) return null;
  const failed = runs.filter((r) => r.outcome === 'failed').length;
  return (
    <span className="run-strip" role="img" aria-label={`${FLOW_LABELS[flow]}: last ${runs.length} runs, ${failed} failed`}>
      {runs.map((r) => (
        <span key={r.id} className={`run-mark outcome-${r.outcome}`} title={`${formatDateTime(r.startedAt)}: ${r.outcome}`} />
      ))}
    </span>
  );
}
