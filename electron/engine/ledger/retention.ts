import type { Db } from './db';
import { DEFAULT_RETENTION_SETTINGS, type RetentionSettings } from '../../../shared/domain/retention';

const DAY_MS = 86_400_000;

/**
 * How long the engine's own bookkeeping stays in the ledger. Business records (orders, despatches, their bindings
 * and timelines) are kept: they are what people search and what finance reconciles (an order quiet for 90 days keeps
 * its own fields but not the marketplace's whole record of it). What goes is the log of work
 * done: runs, settled outbox intents, exceptions that were resolved or dismissed and not seen again since, and jobs
 * of records no longer worked on (an order cancelled while its posting waited out a backoff). Runs, timelines and stock
 * uploads are kept as the retention settings say (settings.retention); the rest for the fixed times here.
 */
export const RETENTION = {
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
  /** Minutes of request counts and latencies (request_stats). */
  requestStatsDays: 7,
  /**
   * The orders flow's note that a line cancelled after posting was told to a person (orders_state, one per line): its
   * order has long ended by then, and the exception it raised keeps its own history.
   */
  lineFlagsDays: 180,
  /**
   * The marketplace's own record of an order (its whole OR11 answer, the customer's details with it), kept in the
   * stored order beside the order's own fields: nothing reads it back once the order is no longer worked on, so it goes
   * when the order has not changed for this long. The order's fields (lines, amounts, addresses, states) stay; an order
   * that changes again is stored whole again.
   */
  orderRecordsDays: 90,
} as const;

/** Stored orders cut to their own fields per step: each is parsed and written again (a few kilobytes). */
export const ORDER_RECORD_BATCH = 200;

/** Rows deleted per table per step: each step is a few milliseconds of SQLite, so the engine never stalls. */
export const PRUNE_BATCH = 2_000;
/** Stock uploads cut to their sample per step: each is up to a few hundred kilobytes of rows. */
export const UPLOAD_BATCH = 4;
/** The rows a stock upload keeps as its sample once its every row has gone. */
export const UPLOAD_SAMPLE_ROWS = 20;
/**
 * Timeline events older than `cutoff`, a batch at a time from where the last step stopped (events are added in time
 * order): each record's first event (how it arrived) and its latest (where it is now) stay, and are never read again.
 */
function pruneEvents(db: Db, cutoff: string, batch: number): { removed: number; more: boolean } {
  const from = Number(db.prepare("SELECT value FROM maintenance_state WHERE key = 'events-read-to'").pluck().get() ?? 0);
  const rows = db.prepare('SELECT id, record_type, record_key, at FROM record_events WHERE id > ? ORDER BY id LIMIT ?').all(from, batch) as {
    id: number;
    record_type: string;
    record_key: string;
    at: string;
  }[];
  const bounds = db.prepare('SELECT min(id) AS first, max(id) AS last FROM record_events WHERE record_type = ? AND record_key = ?');
  const remove = db.prepare('DELETE FROM record_events WHERE id = ?');
  let readTo = from;
  let removed = 0;
  for (const r of rows) {
    if (r.at >= cutoff) break;
    readTo = r.id;
    const { first, last } = bounds.get(r.record_type, r.record_key) as { first: number; last: number };
    if (r.id !== first && r.id !== last) removed += remove.run(r.id).changes;
  }
  if (readTo !== from)
    db.prepare("INSERT INTO maintenance_state (key, value) VALUES ('events-read-to', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      String(readTo),
    );
  // A full batch read, all of it past its time: there may be more.
  return { removed, more: rows.length === batch && readTo === rows[rows.length - 1]!.id };
}

/** Settled stock uploads past `cutoff` that still hold every row keep how many SKUs and rows they sent and their first rows. */
function sampleStockUploads(db: Db, cutoff: string, batch: number): { sampled: number; more: boolean } {
  // Read on from the last upload sampled, by when uploads settled (an index): a step never reads through every upload.
  const stored = db.prepare("SELECT value FROM maintenance_state WHERE key = 'uploads-sampled-to'").pluck().get() as string | undefined;
  const [fromAt, fromId] = stored ? (JSON.parse(stored) as [string, number]) : ['', 0];
  const uploads = db
    .prepare(
      `SELECT id, outcome_at, payload FROM intents INDEXED BY intents_settled WHERE outcome IS NOT NULL AND (outcome_at, id) > (?, ?) AND outcome_at < ?
         AND ${STOCK_UPLOAD} ORDER BY outcome_at, id LIMIT ?`,
    )
    .all(fromAt, fromId, cutoff, batch) as { id: number; outcome_at: string; payload: string }[];
  const save = db.prepare('UPDATE intents SET payload = ? WHERE id = ?');
  let sampled = 0;
  for (const upload of uploads) {
    const { rows, lines, ...rest } = JSON.parse(upload.payload) as { rows?: unknown; lines?: unknown; rowCount?: number };
    // Uploads keep their rows as text, one line each (flows/stock/push.ts); older ones as an array of row objects.
    if (typeof lines === 'string') save.run(JSON.stringify({ ...rest, sample: firstLines(lines, UPLOAD_SAMPLE_ROWS) }), upload.id);
    else if (Array.isArray(rows)) save.run(JSON.stringify({ ...rest, rowCount: rows.length, sample: rows.slice(0, UPLOAD_SAMPLE_ROWS) }), upload.id);
    else continue;
    sampled++;
  }
  const last = uploads.at(-1);
  if (last)
    db.prepare("INSERT INTO maintenance_state (key, value) VALUES ('uploads-sampled-to', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      JSON.stringify([last.outcome_at, last.id]),
    );
  return { sampled, more: uploads.length === batch };
}

/** The first `count` lines of a text, found without splitting all of it. */
function firstLines(text: string, count: number): string {
  let end = -1;
  for (let n = 0; n < count; n++) {
    end = text.indexOf('\n', end + 1);
    if (end < 0) return text;
  }
  return text.slice(0, end);
}

/** The outbox operation of a stock upload (the flows' name for it; its rows are the payload's `lines`, or `rows` in older ones). */
const STOCK_UPLOAD = "system = 'marketplace' AND operation = 'STO01'";

/**
 * Orders not changed since `cutoff` lose the marketplace's record inside their stored order, a batch at a time from
 * where the last step stopped (by when they last changed: an index). An order changed since is met again later.
 */
function slimOrderRecords(db: Db, cutoff: string, batch: number): { slimmed: number; more: boolean } {
  const stored = db.prepare("SELECT value FROM maintenance_state WHERE key = 'orders-slimmed-to'").pluck().get() as string | undefined;
  const [fromAt, fromId] = stored ? (JSON.parse(stored) as [string, string]) : ['', ''];
  const rows = db
    .prepare(
      `SELECT order_id, updated_at, payload FROM marketplace_orders INDEXED BY marketplace_orders_updated
         WHERE (updated_at, order_id) > (?, ?) AND updated_at < ? ORDER BY updated_at, order_id LIMIT ?`,
    )
    .all(fromAt, fromId, cutoff, batch) as { order_id: string; updated_at: string; payload: string }[];
  const save = db.prepare('UPDATE marketplace_orders SET payload = ? WHERE order_id = ?');
  let slimmed = 0;
  for (const row of rows) {
    const order = JSON.parse(row.payload) as { raw?: Record<string, unknown>; lines?: Record<string, unknown>[] };
    const lines = Array.isArray(order.lines) ? order.lines : [];
    if (Object.keys(order.raw ?? {}).length === 0 && !lines.some((l) => 'raw' in l || 'rawRef' in l)) continue;
    // Lines pointed into the record (rawRef) or kept their own; the orders repository reads a line without either as {}.
    const slim = { ...order, raw: {}, lines: lines.map(({ raw: _raw, rawRef: _rawRef, ...line }) => line) };
    save.run(JSON.stringify(slim), row.order_id);
    slimmed++;
  }
  const last = rows.at(-1);
  if (last)
    db.prepare("INSERT INTO maintenance_state (key, value) VALUES ('orders-slimmed-to', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      JSON.stringify([last.updated_at, last.order_id]),
    );
  return { slimmed, more: rows.length === batch };
}

/**
 * The oldest runs, by id (which is the order they started in): a step looks at these only, so it never reads through a
 * year of runs to find that none is old enough. The latest run of each flow stays, so a few more than a batch are read.
 */
const OLDEST_RUNS = 'SELECT id, flow, started_at, outcome FROM runs ORDER BY id LIMIT ?';
const KEPT_PER_FLOW = 16;

export interface PruneStep {
  runs: number;
  stockCycles: number;
  events: number;
  stockUploadsSampled: number;
  intents: number;
  exceptions: number;
  jobs: number;
  invoiceDocuments: number;
  invoiceBatches: number;
  invoiceRequests: number;
  refundRequests: number;
  settlementLines: number;
  settlementDocuments: number;
  settlementCycles: number;
  requestMinutes: number;
  lineFlags: number;
  orderRecords: number;
  /** A table had more old rows than one batch: take another step soon. */
  more: boolean;
}

/** One bounded step of pruning the engine's bookkeeping, oldest rows first. */
export function pruneLedger(db: Db, now: Date, batch = PRUNE_BATCH, retention: RetentionSettings = DEFAULT_RETENTION_SETTINGS): PruneStep {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const uploadBatch = Math.min(batch, UPLOAD_BATCH);
  let eventsMore = false;
  let uploadsMore = false;
  let ordersMore = false;
  const step = db.transaction(() => ({
    runs: db
      .prepare(
        `DELETE FROM runs WHERE id IN (SELECT id FROM (${OLDEST_RUNS}) oldest WHERE outcome <> 'running' AND started_at < ?
           AND EXISTS (SELECT 1 FROM runs newer WHERE newer.flow = oldest.flow AND newer.id > oldest.id))`,
      )
      .run(batch + KEPT_PER_FLOW, before(retention.runsDays)).changes,
    // The latest cycle stays: the stock screen shows it.
    stockCycles: db
      .prepare(
        `DELETE FROM stock_cycles WHERE id IN (SELECT id FROM (SELECT id, started_at FROM stock_cycles ORDER BY id LIMIT ?) WHERE started_at < ?
           AND id < (SELECT max(id) FROM stock_cycles))`,
      )
      .run(batch, before(retention.runsDays)).changes,
    events: (() => {
      const events = pruneEvents(db, before(retention.eventsDays), batch);
      eventsMore = events.more;
      return events.removed;
    })(),
    // A settled stock upload past its rows' retention keeps how many SKUs and rows it sent and its first rows.
    stockUploadsSampled: (() => {
      const uploads = sampleStockUploads(db, before(retention.stockUploadRowsDays), uploadBatch);
      uploadsMore = uploads.more;
      return uploads.sampled;
    })(),
    intents:
      db
        .prepare(
          `DELETE FROM intents WHERE id IN (SELECT id FROM intents INDEXED BY intents_settled WHERE outcome IS NOT NULL AND outcome_at < ? AND NOT (${STOCK_UPLOAD}) ORDER BY outcome_at LIMIT ?)`,
        )
        .run(before(RETENTION.intentsDays), batch).changes +
      db
        .prepare(
          `DELETE FROM intents WHERE id IN (SELECT id FROM intents INDEXED BY intents_settled WHERE outcome IS NOT NULL AND outcome_at < ? AND ${STOCK_UPLOAD} ORDER BY outcome_at LIMIT ?)`,
        )
        .run(before(retention.stockUploadSamplesDays), batch).changes,
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
    // Found from the batches past their time (CROSS JOIN keeps that order), not by reading through every document kept.
    invoiceDocuments: db
      .prepare(
        `DELETE FROM invoice_documents WHERE id IN (SELECT d.id FROM invoice_batches b CROSS JOIN invoice_documents d ON d.batch_id = b.id
           WHERE b.started_at < ? ORDER BY b.id, d.id LIMIT ?)`,
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
    // Refunds a person sent from the console, once settled (sent or failed): their refunds stay, with their Credit Memos.
    refundRequests: db
      .prepare(
        "DELETE FROM refund_requests WHERE id IN (SELECT id FROM refund_requests WHERE state IN ('sent','failed') AND updated_at < ? ORDER BY id LIMIT ?)",
      )
      .run(before(RETENTION.intentsDays), batch).changes,
    // A cycle's lines first, a bounded number a step (a month may have 50,000), then its period's SAP documents, then
    // the cycle itself with its month totals once nothing of it is left. Each from the cycles past their time (CROSS
    // JOIN keeps that order): left to itself SQLite reads through every line kept, millions after a year, to find none.
    settlementLines: db
      .prepare(
        `DELETE FROM settlement_lines WHERE rowid IN (SELECT l.rowid FROM settlement_cycles c CROSS JOIN settlement_lines l ON l.cycle_id = c.cycle_id
           WHERE coalesce(c.end_date, c.start_date, c.first_seen_at) < ? LIMIT ?)`,
      )
      .run(before(RETENTION.settlementDays), batch).changes,
    settlementDocuments: db
      .prepare(
        `DELETE FROM settlement_period_documents WHERE rowid IN (SELECT p.rowid FROM settlement_cycles c CROSS JOIN settlement_period_documents p
           ON p.cycle_id = c.cycle_id WHERE coalesce(c.end_date, c.start_date, c.first_seen_at) < ? LIMIT ?)`,
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
    // The Overview charts a day of how SAP and the marketplace answered; a week is kept to compare with.
    requestMinutes: db
      .prepare('DELETE FROM request_stats WHERE rowid IN (SELECT rowid FROM request_stats WHERE minute < ? LIMIT ?)')
      .run(before(RETENTION.requestStatsDays), batch).changes,
    // The value is when the line was flagged (an ISO time), so an old flag is found by its value.
    lineFlags: db
      .prepare("DELETE FROM orders_state WHERE rowid IN (SELECT rowid FROM orders_state WHERE key LIKE 'line-cancel-flagged:%' AND value < ? LIMIT ?)")
      .run(before(RETENTION.lineFlagsDays), batch).changes,
    orderRecords: (() => {
      const orders = slimOrderRecords(db, before(RETENTION.orderRecordsDays), Math.min(batch, ORDER_RECORD_BATCH));
      ordersMore = orders.more;
      return orders.slimmed;
    })(),
  }))();
  return { ...step, more: eventsMore || uploadsMore || ordersMore || Object.values(step).some((n) => n >= batch) };
}
