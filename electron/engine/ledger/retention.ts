import type { Db } from './db';

const DAY_MS = 86_400_000;

/**
 * How long the engine's own bookkeeping stays in the ledger. Business records (orders, despatches, their bindings
 * and timelines) are kept: they are what people search and what finance reconciles. What goes is the log of work
 * done: runs, settled outbox intents, exceptions that were resolved or dismissed and not seen again since, and jobs
 * of records no longer worked on (an order cancelled while its posting waited out a backoff).
 */
export const RETENTION = {
  /** Runs (every flow, every cadence: about 6,000 a day at the defaults). The latest run of each flow always stays. */
  runsDays: 30,
  /** Outbox intents with an outcome. An intent without one is never pruned: it still needs its lookup. */
  intentsDays: 90,
  /** Resolved or dismissed exceptions (with their audit trail) whose problem has not been seen for this long. */
  exceptionsDays: 180,
  /** Jobs that have not failed for this long and have no live exception on their record: nothing will try them again. */
  jobsDays: 180,
  /**
   * Invoicing batches and their documents, counted from when the batch began (the invoices themselves are in SAP and
   * bound to their orders), and requests for an invoice ahead of the daily batch that never found a delivery.
   */
  invoiceBatchesDays: 90,
  /**
   * Billing cycles, their transaction lines, month totals and period documents, counted from the cycle's end (or its
   * start): a year of payouts and a month to spare, for the year-end and the VAT quarter after it.
   */
  settlementDays: 400,
} as const;

/** Rows deleted per table per step: each step is a few milliseconds of SQLite, so the engine never stalls. */
export const PRUNE_BATCH = 2_000;

export interface PruneStep {
  runs: number;
  intents: number;
  exceptions: number;
  jobs: number;
  invoiceDocuments: number;
  invoiceBatches: number;
  invoiceRequests: number;
  settlementLines: number;
  settlementDocuments: number;
  settlementCycles: number;
  /** A table had more old rows than one batch: take another step soon. */
  more: boolean;
}

/** One bounded step of pruning the engine's bookkeeping, oldest rows first. */
export function pruneLedger(db: Db, now: Date, batch = PRUNE_BATCH): PruneStep {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const step = db.transaction(() => ({
    runs: db
      .prepare(
        `DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE outcome <> 'running' AND started_at < ?
           AND id NOT IN (SELECT max(id) FROM runs GROUP BY flow) ORDER BY id LIMIT ?)`,
      )
      .run(before(RETENTION.runsDays), batch).changes,
    intents: db
      .prepare('DELETE FROM intents WHERE id IN (SELECT id FROM intents WHERE outcome IS NOT NULL AND outcome_at < ? ORDER BY id LIMIT ?)')
      .run(before(RETENTION.intentsDays), batch).changes,
    // The audit trail goes with its exception (ON DELETE CASCADE).
    exceptions: db
      .prepare(
        "DELETE FROM exceptions WHERE id IN (SELECT id FROM exceptions WHERE state IN ('resolved','dismissed') AND last_seen_at < ? ORDER BY id LIMIT ?)",
      )
      .run(before(RETENTION.exceptionsDays), batch).changes,
    jobs: db
      .prepare(
        `DELETE FROM jobs WHERE rowid IN (SELECT j.rowid FROM jobs j WHERE j.last_failed_at < ? AND NOT EXISTS (SELECT 1 FROM exceptions e
           WHERE e.flow = j.flow AND e.record_type = j.record_type AND e.record_key = j.record_key AND e.state IN ('open','retrying')) LIMIT ?)`,
      )
      .run(before(RETENTION.jobsDays), batch).changes,
    // Documents first, a bounded number, then the batches they emptied: a batch never takes thousands of rows with it in one step.
    invoiceDocuments: db
      .prepare(
        `DELETE FROM invoice_documents WHERE id IN (SELECT d.id FROM invoice_documents d JOIN invoice_batches b ON b.id = d.batch_id
           WHERE b.started_at < ? ORDER BY d.id LIMIT ?)`,
      )
      .run(before(RETENTION.invoiceBatchesDays), batch).changes,
    invoiceBatches: db
      .prepare(
        `DELETE FROM invoice_batches WHERE id IN (SELECT b.id FROM invoice_batches b WHERE b.started_at < ?
           AND NOT EXISTS (SELECT 1 FROM invoice_documents d WHERE d.batch_id = b.id) ORDER BY b.id LIMIT ?)`,
      )
      .run(before(RETENTION.invoiceBatchesDays), batch).changes,
    invoiceRequests: db
      .prepare('DELETE FROM invoicing_requests WHERE order_id IN (SELECT order_id FROM invoicing_requests WHERE requested_at < ? LIMIT ?)')
      .run(before(RETENTION.invoiceBatchesDays), batch).changes,
    // A cycle's lines first, a bounded number a step (a month may have 50,000), then its period's SAP documents, then
    // the cycle itself with its month totals once nothing of it is left.
    settlementLines: db
      .prepare(
        `DELETE FROM settlement_lines WHERE rowid IN (SELECT l.rowid FROM settlement_lines l JOIN settlement_cycles c ON c.cycle_id = l.cycle_id
           WHERE coalesce(c.end_date, c.start_date, c.first_seen_at) < ? LIMIT ?)`,
      )
      .run(before(RETENTION.settlementDays), batch).changes,
    settlementDocuments: db
      .prepare(
        `DELETE FROM settlement_period_documents WHERE rowid IN (SELECT p.rowid FROM settlement_period_documents p JOIN settlement_cycles c
           ON c.cycle_id = p.cycle_id WHERE coalesce(c.end_date, c.start_date, c.first_seen_at) < ? LIMIT ?)`,
      )
      .run(before(RETENTION.settlementDays), batch).changes,
    settlementCycles: (() => {
      const gone = db
        .prepare(
          `SELECT c.cycle_id FROM settlement_cycles c WHERE coalesce(c.end_date, c.start_date, c.first_seen_at) < ?
             AND NOT EXISTS (SELECT 1 FROM settlement_lines l WHERE l.cycle_id = c.cycle_id)
             AND NOT EXISTS (SELECT 1 FROM settlement_period_documents p WHERE p.cycle_id = c.cycle_id) LIMIT ?`,
        )
        .pluck()
        .all(before(RETENTION.settlementDays), batch) as string[];
      const months = db.prepare('DELETE FROM settlement_months WHERE cycle_id = ?');
      const cycle = db.prepare('DELETE FROM settlement_cycles WHERE cycle_id = ?');
      for (const id of gone) {
        months.run(id);
        cycle.run(id);
      }
      return gone.length;
    })(),
  }))();
  return { ...step, more: Object.values(step).some((n) => n === batch) };
}
