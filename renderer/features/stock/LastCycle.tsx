import type { StockCycle } from '../../../shared/domain/stock';
import { formatDateTime } from '../../format/time';

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** The last stock cycle at a glance: what was read, what changed, what went, what the marketplace refused. */
export function LastCycle({ cycle }: { cycle: StockCycle | null }) {
  if (!cycle) return <p className="empty">No stock cycle has run yet.</p>;
  const stats: [string, string | number][] = [
    ['SKUs read', cycle.skusRead],
    ['Changed', cycle.changed],
    ['Sent', cycle.sent],
    ['Rejected', cycle.rejected],
    ['Held back', cycle.held],
    ['Duration', seconds(cycle.durationMs)],
  ];
  return (
    <section aria-label="Last stock cycle" data-testid="stock-last-cycle">
      <div className="summary">
        {stats.map(([label, value]) => (
          <div className="stat" key={label}>
            <span className="stat-label">{label}</span>
            <span className="stat-value">{value}</span>
          </div>
        ))}
      </div>
      <p className="muted">
        Started <time dateTime={cycle.startedAt}>{formatDateTime(cycle.startedAt)}</time>
        {cycle.dryRun ? ' · dry run: nothing was sent' : ''}
        {cycle.importId ? ` · stock import ${cycle.importId} ${cycle.importStatus ?? ''}` : ''}
        {cycle.reconciled ? ` · full reconciliation, ${cycle.drift} drifted` : ''}
      </p>
      {cycle.warehousesMissing.length ? (
        <p role="alert" className="notice notice-error">
          Warehouse {cycle.warehousesMissing.join(', ')} did not answer: {cycle.held} SKUs kept their last figure.
        </p>
      ) : null}
      {cycle.error ? <p className="notice notice-error">{cycle.error}</p> : null}
    </section>
  );
}
