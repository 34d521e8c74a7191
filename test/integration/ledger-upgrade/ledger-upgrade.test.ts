import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine/engine';
import { standardFlows } from '../../../electron/engine/flows';
import { MIGRATIONS } from '../../../electron/engine/ledger/migrations';
import { pruneLedger } from '../../../electron/engine/ledger/retention';
import { OrdersRepository } from '../../../electron/engine/flows/orders/repository';
import type { QueryName, QueryRequest, QueryResponse } from '../../../shared/contract';
import { tempDir, testPorts } from '../../support/ports';
import { FLOW_SINCE, flowsAt, ledgerAtVersion } from './ledger-at-version';
import { tradeIntoLedger } from './trade';

const NEWEST = Math.max(...MIGRATIONS.map((m) => m.version));
/** Every version a console has shipped its ledger at: each is upgraded to this one. */
const VERSIONS = MIGRATIONS.map((m) => m.version);

/**
 * A ledger written by every earlier version of the console, upgraded to this one: the same trade (orders posted and
 * despatched, stock, invoices, a return and refunds, a reconciled payout, exceptions with a person's dismissal) as each
 * version held it (ledger-at-version.ts), opened by this console's engine, which must show on every screen what it
 * shows for the ledger it wrote itself, and go on writing to it.
 */
describe('a ledger from every earlier version, upgraded', () => {
  const tmp = tempDir('ledger-upgrade-');
  const source = tmp.file('written-today.db');
  let today: Engine;

  beforeAll(async () => {
    await tradeIntoLedger(source);
    today = createEngine(testPorts(), { ledgerFile: source, buildFlows: standardFlows });
  }, 120_000);
  afterAll(async () => {
    await today?.stop();
    tmp.cleanup();
  });

  /** What a screen asks, answered from the ledger written today and from the upgraded one. */
  async function both<N extends QueryName>(upgraded: Engine, name: N, request: QueryRequest<N>): Promise<[QueryResponse<N>, QueryResponse<N>]> {
    return [await today.query(name, request), await upgraded.query(name, request)];
  }

  it.each(VERSIONS)(
    'version %i: every row is there and every screen reads it as this version wrote it; the engine writes on',
    { timeout: 60_000 },
    async (version) => {
      const file = tmp.file(`at-${version}.db`);
      ledgerAtVersion(source, file, version);
      const rowsBefore = tableCounts(file);
      const upgraded = createEngine(testPorts(), { ledgerFile: file, buildFlows: standardFlows });
      try {
        const db = upgraded.ledger.db;
        expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(NEWEST);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        // No row lost: each table the old ledger had holds as many rows, or has moved them to where they live now.
        const after = tableCounts(file, db);
        for (const [table, rows] of Object.entries(rowsBefore)) {
          const movedTo = { order_events: 'record_events', stock_sku_mappings: 'bindings' }[table];
          if (movedTo) expect(after[movedTo], `${table} → ${movedTo}`).toBeGreaterThanOrEqual(rows);
          else expect(after[table], table).toBe(rows);
        }

        const flows = new Set(flowsAt(version));
        const [runsToday, runsThen] = await both(upgraded, 'runs.list', { limit: 500 });
        expect(runsThen).toEqual(runsToday.filter((r) => flows.has(r.flow)));

        const [exceptionsToday, exceptionsThen] = await both(upgraded, 'exceptions.list', { limit: 500, offset: 0 });
        expect(exceptionsThen.rows).toEqual(exceptionsToday.rows.filter((e) => flows.has(e.flow)));
        for (const e of exceptionsThen.rows)
          expect(await upgraded.query('exceptions.get', { id: e.id })).toEqual(await today.query('exceptions.get', { id: e.id }));

        if (version >= FLOW_SINCE.stock) {
          for (const name of ['stock.skus', 'stock.reconciliation'] as const) {
            const [a, b] = await both(upgraded, name, { limit: 500 });
            expect(b, name).toEqual(a);
          }
          const [cycleToday, cycleThen] = await both(upgraded, 'stock.lastCycle', {});
          // How a cycle read SAP was recorded from migration 6 on.
          expect(cycleThen).toEqual(version >= 6 ? cycleToday : { ...cycleToday, readPath: null, readFallback: null });
          const [breakdownToday, breakdownThen] = await both(upgraded, 'stock.breakdown', { sku: 'SKU000001' });
          expect(breakdownThen).toEqual(breakdownToday);
        }

        if (version >= FLOW_SINCE.orders) {
          const [listToday, listThen] = await both(upgraded, 'orders.list', { limit: 500 });
          expect(listThen).toEqual(listToday);
          expect(listThen.rows.filter((o) => o.docNum !== null).length).toBeGreaterThanOrEqual(5);
          for (const o of listThen.rows) {
            const [detailToday, detailThen] = await both(upgraded, 'orders.get', { orderId: o.orderId });
            expect(detailThen, o.orderId).toEqual(detailToday);
          }
          const [vatToday, vatThen] = await both(upgraded, 'orders.vatMappings', {});
          expect(vatThen).toEqual(vatToday);
          // Found by the customer's number and by the Sales Order's number, as before the upgrade.
          const posted = listThen.rows.find((o) => o.docNum !== null)!;
          const [byNumberToday, byNumberThen] = await both(upgraded, 'search.records', { text: posted.numAtCard! });
          expect(byNumberThen).toEqual(byNumberToday);
          const [byDocNumToday, byDocNumThen] = await both(upgraded, 'search.records', { text: String(posted.docNum) });
          const salesOrderHit = byDocNumToday.find((h) => h.key === posted.orderId && h.matched.startsWith('SAP Sales Order'));
          expect(salesOrderHit).toBeDefined();
          expect(byDocNumThen).toContainEqual(salesOrderHit);
        }

        if (version >= FLOW_SINCE.despatch) {
          const [listToday, listThen] = await both(upgraded, 'despatch.list', { limit: 500 });
          expect(listThen).toEqual(listToday);
          for (const d of listThen.rows)
            expect(await upgraded.query('despatch.get', { orderId: d.orderId })).toEqual(await today.query('despatch.get', { orderId: d.orderId }));
        }

        if (version >= FLOW_SINCE.returns) {
          for (const name of ['returns.list', 'refunds.list'] as const) {
            const [a, b] = await both(upgraded, name, { limit: 500 });
            expect(b, name).toEqual(a);
            expect(b.rows.length, name).toBeGreaterThan(0);
          }
        }

        if (version >= FLOW_SINCE.invoicing) {
          const [batchesToday, batchesThen] = await both(upgraded, 'invoicing.batches', {});
          expect(batchesThen.rows).toEqual(batchesToday.rows);
          for (const b of batchesThen.rows)
            expect(await upgraded.query('invoicing.batch', { id: b.id })).toEqual(await today.query('invoicing.batch', { id: b.id }));
        }

        if (version >= FLOW_SINCE.settlement) {
          const [payoutsToday, payoutsThen] = await both(upgraded, 'payouts.list', {});
          expect(payoutsThen).toEqual(payoutsToday);
          for (const p of payoutsThen.rows) {
            expect(await upgraded.query('payouts.get', { cycleId: p.cycleId })).toEqual(await today.query('payouts.get', { cycleId: p.cycleId }));
            expect(await upgraded.query('payouts.lines', { cycleId: p.cycleId, limit: 500 })).toEqual(
              await today.query('payouts.lines', { cycleId: p.cycleId, limit: 500 }),
            );
          }
        }

        // The engine goes on with it: a run, an exception raised and resolved, an order stored again, its maintenance.
        const now = new Date(Date.now() + 365 * 86_400_000);
        upgraded.ledger.runs.finish(upgraded.ledger.runs.start('health', 'manual', now, false).id, 'succeeded', now, {}, null);
        const raised = upgraded.ledger.exceptions.raise(
          {
            flow: 'health',
            type: 'system-unreachable',
            severity: 'error',
            record: { type: 'system', key: 'sap-b1' },
            summary: 'SAP down',
            suggestedAction: 'wait',
          },
          now,
        );
        expect(upgraded.ledger.exceptions.resolveFor('health', 'system-unreachable', { type: 'system', key: 'sap-b1' }, now)?.id).toBe(raised.exception.id);
        if (version >= FLOW_SINCE.orders) {
          const orders = new OrdersRepository(db);
          const [first] = (await upgraded.query('orders.list', { limit: 1 })).rows;
          const stored = orders.order(first!.orderId)!;
          orders.upsert({ ...stored, lastUpdatedDate: now.toISOString() }, stored.commercialId, 'posted', now);
          expect(orders.get(first!.orderId)!.lastUpdatedDate).toBe(now.toISOString());
        }
        for (let step = pruneLedger(db, now); step.more; step = pruneLedger(db, now));
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        await upgraded.stop();
      }
    },
  );
});

/** Rows per table of a ledger (its own connection, or the one given). */
function tableCounts(file: string, open?: Database.Database): Record<string, number> {
  const db = open ?? new Database(file, { readonly: true });
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'")
      .pluck()
      .all() as string[];
    return Object.fromEntries(names.map((n) => [n, db.prepare(`SELECT count(*) FROM "${n}"`).pluck().get() as number]));
  } finally {
    if (!open) db.close();
  }
}
