import type { StockCycle } from '../../../shared/domain/stock';
import { formatDateTime } from '../../format/time';

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

const FALLBACK_CAUSE = {
  absent: 'this SAP Service Layer has no stored SQL queries (SQLQueries: 10.0 FP 2011 and later)',
  'not-permitted': 'SAP does not permit this SAP user or company to create or run SQL queries',
  'dry-run': 'dry run does not create the stored SQL query in SAP',
} as const;

/** Which way SAP's stock was read, and why not the stored SQL query when it was not. */
function ReadPath({ cycle }: { cycle: StockCycle }) {
  if (!cycle.readPath) return null;
  if (cycle.readPath === 'sql-query')
    return (
      <p className="muted" data-testid="stock-read-path">
        Read from SAP with the stored SQL query (one query over every item and warehouse).
      </p>
    );
  const f = cycle.readFallback;
  return (
    <p className="muted" data-testid="stock-read-path">
      Read from SAP item by item (Items with their warehouse rows, in pages)
      {f ? `: ${FALLBACK_CAUSE[f.cause]}. SAP answered “${f.sapMessage}”` : ''}
      {f?.since ? ` at ${formatDateTime(f.since)}` : ''}
      {f?.recheckAt ? `; the SQL query is tried again after ${formatDateTime(f.recheckAt)}` : ''}. The figures are the same either way.
    </p>
  );
}

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
      <ReadPath cycle={cycle} />
      {cycle.warehousesMissing.length ? (
        <p role="alert" className="notice notice-error">
          Warehouse {cycle.warehousesMissing.join(', ')} did not answer: {cycle.held} SKUs kept their last figure.
        </p>
      ) : null}
      {cycle.error ? <p className="notice notice-error">{cycle.error}</p> : null}
    </section>
  );
}
