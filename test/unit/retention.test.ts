import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import { createLedger, type Ledger } from '../../electron/engine/ledger';
import { pruneLedger } from '../../electron/engine/ledger/retention';
import { DEFAULT_RETENTION_SETTINGS } from '../../shared/domain/retention';
import { applySettingsPatch, SettingsSchema } from '../../shared/domain/settings';
import { MAINTENANCE } from '../../electron/engine/maintenance';
import { StockRepository } from '../../electron/engine/flows/stock/repository';
import { uploadPayload } from '../../electron/engine/flows/stock/push';
import { InvoicingRepository } from '../../electron/engine/flows/invoicing/repository';
import { ReturnsRepository } from '../../electron/engine/flows/returns/repository';
import { OrdersRepository } from '../../electron/engine/flows/orders/repository';
import { toOrder } from '../../electron/engine/connectors/john-lewis/order-map';
import { tempDir, testPorts } from '../support/ports';
import { statSync } from 'node:fs';
import { WAL_SIZE_LIMIT_BYTES } from '../../electron/engine/ledger/db';

const tmp = tempDir('retention-test-');
afterAll(() => tmp.cleanup());
const DAY = 86_400_000;
const RUNS_DAYS = DEFAULT_RETENTION_SETTINGS.runsDays;

/** A ledger with a year of history behind `now`: runs, settled and open intents, exceptions in every state. */
function yearOfHistory(ledger: Ledger, now: number) {
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
  for (let d = 365; d >= 0; d--) {
    const run = ledger.runs.start('stock', 'schedule', at(d), false);
    ledger.runs.finish(run.id, 'succeeded', at(d), {}, null);
  }
  const old = ledger.runs.start('despatch', 'schedule', at(200), false);
  ledger.runs.finish(old.id, 'failed', at(200), {}, 'SAP down');
  const settled = ledger.intents.record({ flow: 'orders', system: 'sap-b1', operation: 'create-sales-order', recordKey: 'A', payload: {} }, at(120));
  ledger.intents.close(settled.id, 'succeeded', at(120));
  ledger.intents.record({ flow: 'orders', system: 'sap-b1', operation: 'create-sales-order', recordKey: 'B', payload: {} }, at(120));
  const raise = (key: string, daysAgo: number) =>
    ledger.exceptions.raise(
      { flow: 'orders', type: 'sku-unknown', severity: 'error', record: { type: 'order', key }, summary: key, suggestedAction: 'map it' },
      at(daysAgo),
    ).exception;
  ledger.exceptions.transition(raise('resolved-long-ago', 200).id, 'resolved', 'resolve', 'engine', at(200));
  ledger.exceptions.transition(raise('dismissed-long-ago', 200).id, 'dismissed', 'dismiss', 'Priya', at(200), { reason: 'test order' });
  raise('open-long-ago', 200);
  ledger.exceptions.transition(raise('resolved-lately', 10).id, 'resolved', 'resolve', 'engine', at(10));
}

describe('ledger retention', () => {
  it('prunes the engine’s bookkeeping past its retention, in bounded steps, and keeps what is still needed', () => {
    const ledger = createLedger(tmp.file('prune.db'));
    const now = Date.UTC(2026, 10, 29, 12);
    yearOfHistory(ledger, now);

    const steps = [];
    for (let step = pruneLedger(ledger.db, new Date(now), 100); ; step = pruneLedger(ledger.db, new Date(now), 100)) {
      steps.push(step);
      if (!step.more) break;
    }
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.reduce((n, s) => n + s.runs, 0)).toBe(366 - (RUNS_DAYS + 1) + 0);

    const runs = ledger.db.prepare('SELECT flow, started_at FROM runs ORDER BY id').all() as { flow: string; started_at: string }[];
    expect(runs.filter((r) => r.flow === 'stock')).toHaveLength(RUNS_DAYS + 1);
    // The latest run of a flow stays, however old: the console shows when it last ran.
    expect(runs.filter((r) => r.flow === 'despatch')).toHaveLength(1);
    // A settled intent goes; one still waiting for its lookup never does.
    expect(ledger.db.prepare('SELECT record_key FROM intents').pluck().all()).toEqual(['B']);
    const exceptions = ledger.db.prepare('SELECT record_key FROM exceptions ORDER BY id').pluck().all();
    expect(exceptions).toEqual(['open-long-ago', 'resolved-lately']);
    // Their audit trails went with them.
    expect(ledger.db.prepare('SELECT count(*) FROM exception_actions WHERE exception_id NOT IN (SELECT id FROM exceptions)').pluck().get()).toBe(0);
    ledger.close();
  });

  it('the engine prunes by itself a minute after it starts, and again every six hours', async () => {
    const file = tmp.file('engine.db');
    const ports = testPorts();
    const seeded = createLedger(file);
    yearOfHistory(seeded, ports.clock.now());
    seeded.close();

    const engine = createEngine(ports, { ledgerFile: file, buildFlows: () => [] });
    const count = () => engine.ledger.db.prepare('SELECT count(*) FROM runs').pluck().get() as number;
    engine.start();
    expect(count()).toBe(367);
    await ports.clock.advance(MAINTENANCE.firstAfterMs + 5 * MAINTENANCE.nextStepMs);
    // The stock runs of the last 90 days (the one exactly 90 days old has just passed it) and despatch's latest.
    expect(count()).toBe(RUNS_DAYS + 1);
    expect(ports.logger.lines.some((e) => e.message === 'Ledger pruned past its retention')).toBe(true);

    // The next rounds, every six hours, take the runs that have passed 90 days since: two days on, two more.
    await ports.clock.advance(MAINTENANCE.everyMs);
    expect(count()).toBe(RUNS_DAYS + 1);
    await ports.clock.advance(2 * DAY - MAINTENANCE.everyMs);
    expect(count()).toBe(RUNS_DAYS - 1);
    await engine.stop();
  });

  it('a job nothing will try again goes; one whose record still has a live exception, or that failed lately, stays', () => {
    const ledger = createLedger(tmp.file('jobs.db'));
    const now = Date.UTC(2026, 10, 29, 12);
    const policy = { limit: 2, firstDelayMs: 60_000, maxDelayMs: 60_000 };
    const job = (key: string) => ({ flow: 'orders' as const, kind: 'post-sales-order', record: { type: 'order', key } });
    // An order cancelled while its posting waited: never attempted again.
    ledger.jobs.failed(job('cancelled-meanwhile'), 'SAP 500', new Date(now - 200 * DAY), policy);
    // Given up on, its exception still open for a person.
    for (let i = 0; i < 2; i++) ledger.jobs.failed(job('gave-up'), 'SAP 500', new Date(now - 200 * DAY), policy);
    ledger.exceptions.raise(
      {
        flow: 'orders',
        type: 'gave-up',
        severity: 'error',
        category: 'technical',
        record: job('gave-up').record,
        summary: 'gave up',
        suggestedAction: 'Retry',
      },
      new Date(now - 200 * DAY),
    );
    ledger.jobs.failed(job('lately'), 'SAP 500', new Date(now - DAY), policy);
    expect(pruneLedger(ledger.db, new Date(now)).jobs).toBe(1);
    expect(ledger.db.prepare('SELECT record_key FROM jobs ORDER BY record_key').pluck().all()).toEqual(['gave-up', 'lately']);
    ledger.close();
  });

  it('the note that a cancelled line was told to a person goes after 180 days; the orders flow’s other facts stay', () => {
    const ledger = createLedger(tmp.file('line-flags.db'));
    const now = Date.UTC(2026, 10, 29, 12);
    const set = ledger.db.prepare('INSERT INTO orders_state (key, value) VALUES (?, ?)');
    for (let i = 0; i < 250; i++) set.run(`line-cancel-flagged:00000${i}-A:00000${i}-A-1`, new Date(now - (i + 1) * DAY).toISOString());
    set.run('watermark', new Date(now - 400 * DAY).toISOString());
    set.run('duplicates_checked_at', new Date(now - 300 * DAY).toISOString());
    let removed = 0;
    for (let step = pruneLedger(ledger.db, new Date(now), 30); ; step = pruneLedger(ledger.db, new Date(now), 30)) {
      removed += step.lineFlags;
      if (!step.more) break;
    }
    expect(removed).toBe(250 - 180);
    expect(ledger.db.prepare("SELECT count(*) FROM orders_state WHERE key LIKE 'line-cancel-flagged:%'").pluck().get()).toBe(180);
    expect(ledger.db.prepare("SELECT key FROM orders_state WHERE key NOT LIKE 'line-cancel-flagged:%' ORDER BY key").pluck().all()).toEqual([
      'duplicates_checked_at',
      'watermark',
    ]);
    ledger.close();
  });

  it('an order not changed for 90 days keeps its own fields but not the marketplace’s whole record of it; one changed since is stored whole again', () => {
    const ledger = createLedger(tmp.file('order-records.db'));
    const orders = new OrdersRepository(ledger.db);
    const now = Date.UTC(2026, 10, 29, 12);
    const order = (id: string) =>
      toOrder({
        order_id: id,
        commercial_id: `C-${id}`,
        order_state: 'SHIPPED',
        order_tax_mode: 'TAX_INCLUDED',
        currency_iso_code: 'GBP',
        total_price: 24.98,
        customer: { firstname: 'Ada', lastname: 'Lovelace', shipping_address: { street_1: '1 Oxford Street', city: 'London', country_iso_code: 'GBR' } },
        customer_notification_email: `${id}@customers.example`,
        order_lines: [1, 2].map((n) => ({ order_line_id: `${id}-${n}`, order_line_state: 'SHIPPED', offer_sku: `SKU-${n}`, quantity: n, price_unit: 12.49 })),
      });
    const payload = (id: string) => ledger.db.prepare('SELECT payload FROM marketplace_orders WHERE order_id = ?').pluck().get(id) as string;
    for (let i = 0; i < 250; i++) orders.upsert(order(`OLD-${i}`), `C-OLD-${i}`, 'posted', new Date(now - (100 + i) * DAY));
    orders.upsert(order('RECENT'), 'C-RECENT', 'posted', new Date(now - 10 * DAY));
    const before = payload('OLD-0').length;

    let slimmed = 0;
    for (let step = pruneLedger(ledger.db, new Date(now), 100); ; step = pruneLedger(ledger.db, new Date(now), 100)) {
      slimmed += step.orderRecords;
      if (!step.more) break;
    }
    expect(slimmed).toBe(250);
    // The marketplace's record (the customer's e-mail with it) is gone; the order's own fields are all there.
    expect(payload('OLD-0')).not.toContain('customers.example');
    expect(payload('OLD-0').length).toBeLessThan(before - JSON.stringify(order('OLD-0').raw).length + 20);
    const kept = orders.order('OLD-0')!;
    expect(kept).toMatchObject({ orderId: 'OLD-0', state: 'shipped', customerName: 'Ada Lovelace', shippingAddress: { street1: '1 Oxford Street' } });
    expect(kept.lines.map((l) => [l.orderLineId, l.sku, l.quantity, l.unitPrice?.toFixed(2)])).toEqual([
      ['OLD-0-1', 'SKU-1', 1, '12.49'],
      ['OLD-0-2', 'SKU-2', 2, '12.49'],
    ]);
    expect(payload('RECENT')).toContain('customers.example');

    // Read again from the marketplace (a late refund): stored whole, and left whole until it is 90 days quiet again.
    orders.upsert(order('OLD-1'), 'C-OLD-1', 'posted', new Date(now));
    expect(pruneLedger(ledger.db, new Date(now)).orderRecords).toBe(0);
    expect(payload('OLD-1')).toContain('customers.example');
    expect(pruneLedger(ledger.db, new Date(now + 91 * DAY)).orderRecords).toBe(2);
    expect(payload('OLD-1')).not.toContain('customers.example');
    ledger.close();
  });

  it('stock cycles older than the runs’ retention go, the latest always kept', () => {
    const ledger = createLedger(tmp.file('cycles.db'));
    const repo = new StockRepository(ledger.db);
    const now = Date.UTC(2026, 10, 29, 12);
    for (let d = 200; d >= 1; d--) repo.startCycle(null, new Date(now - d * DAY), false);
    repo.startCycle(null, new Date(now), false);
    while (pruneLedger(ledger.db, new Date(now), 50).more);
    const left = ledger.db.prepare('SELECT count(*) FROM stock_cycles').pluck().get() as number;
    expect(left).toBe(RUNS_DAYS + 1);
    ledger.close();
  });

  it('invoicing batches and their documents go 90 days after the batch, a few thousand rows a step; requests never answered go too', () => {
    const ledger = createLedger(tmp.file('invoicing.db'));
    const repo = new InvoicingRepository(ledger.db);
    const now = Date.UTC(2026, 10, 29, 12);
    const document = (orderId: string) => ({
      orderId,
      numAtCard: null,
      customer: 'C-JLM',
      deliveryDocNums: [1],
      invoiceDocEntry: 1,
      invoiceDocNum: 1,
      total: '10.00',
      marketplaceTotal: '10.00',
      currency: 'GBP',
      outcome: 'posted' as const,
      exceptionId: null,
      error: null,
    });
    for (const daysAgo of [200, 120, 91, 89, 1]) {
      const at = new Date(now - daysAgo * DAY);
      const batch = repo.startBatch({ runId: 1, trigger: 'schedule', dryRun: false }, at);
      for (let i = 0; i < 30; i++) repo.addDocument(batch, document(`${daysAgo}-${i}`), at);
      repo.endBatch(batch, at);
    }
    repo.request('asked-long-ago', 'refund', new Date(now - 100 * DAY));
    repo.request('asked-lately', 'refund', new Date(now - DAY));

    const steps = [];
    for (let step = pruneLedger(ledger.db, new Date(now), 25); ; step = pruneLedger(ledger.db, new Date(now), 25)) {
      steps.push(step);
      if (!step.more) break;
    }
    expect(steps.every((s) => s.invoiceDocuments <= 25)).toBe(true);
    expect(steps.reduce((n, s) => n + s.invoiceDocuments, 0)).toBe(90);
    expect(steps.reduce((n, s) => n + s.invoiceBatches, 0)).toBe(3);
    const kept = repo.batches(10, 0);
    expect(kept.total).toBe(2);
    expect(kept.rows.map((b) => repo.documents(b.id).length)).toEqual([30, 30]);
    expect(repo.requested().map((r) => r.orderId)).toEqual(['asked-lately']);
    ledger.close();
  });

  it('a refund a person sent goes from the ledger 90 days after it settled; one still being checked stays, whatever its age', () => {
    const ledger = createLedger(tmp.file('refund-requests.db'));
    const repo = new ReturnsRepository(ledger.db);
    const now = Date.UTC(2026, 10, 29, 12);
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
    const request = (orderId: string, daysAgo: number, state: 'sent' | 'failed' | 'checking') => {
      const r = repo.recordRequest(
        { orderId, request: { taxMode: 'TAX_INCLUDED', reasonCode: '17', lines: [] }, actor: 'Priya', knownRefundIds: [] },
        at(daysAgo),
      );
      repo.settleRequest(r.id, state, at(daysAgo));
    };
    request('sent-long-ago', 120, 'sent');
    request('failed-long-ago', 120, 'failed');
    request('checking-long-ago', 120, 'checking');
    request('sent-lately', 10, 'sent');
    const step = pruneLedger(ledger.db, new Date(now));
    expect(step.refundRequests).toBe(2);
    const left = ledger.db.prepare('SELECT order_id FROM refund_requests ORDER BY id').pluck().all();
    expect(left).toEqual(['checking-long-ago', 'sent-lately']);
    ledger.close();
  });
});

describe('retention settings', () => {
  it('keep 90 days unless changed, and refuse a retention too short or too long', () => {
    const settings = SettingsSchema.parse({});
    expect(settings.retention).toEqual({ runsDays: 90, eventsDays: 90, stockUploadRowsDays: 7, stockUploadSamplesDays: 90 });
    expect(applySettingsPatch(settings, { retention: { runsDays: 30 } }).retention.runsDays).toBe(30);
    expect(() => applySettingsPatch(settings, { retention: { runsDays: 3 } })).toThrow();
    expect(() => applySettingsPatch(settings, { retention: { eventsDays: 5_000 } })).toThrow();
    expect(() => applySettingsPatch(settings, { retention: { stockUploadRowsDays: 0 } })).toThrow();
  });

  const now = Date.UTC(2026, 10, 29, 12);
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
  const retention = { ...DEFAULT_RETENTION_SETTINGS, runsDays: 7, eventsDays: 30, stockUploadRowsDays: 2, stockUploadSamplesDays: 10 };
  const pruneAll = (ledger: Ledger, settings = retention) => {
    while (pruneLedger(ledger.db, new Date(now), 50, settings).more);
  };

  it('runs and stock cycles are kept as long as settings.retention.runsDays says, the latest of each flow whatever its age', () => {
    const ledger = createLedger(tmp.file('runs-setting.db'));
    const stock = new StockRepository(ledger.db);
    for (let d = 40; d >= 0; d--) {
      ledger.runs.finish(ledger.runs.start('orders', 'schedule', at(d), false).id, 'succeeded', at(d), {}, null);
      stock.startCycle(null, at(d), false);
    }
    ledger.runs.finish(ledger.runs.start('despatch', 'schedule', at(40), false).id, 'succeeded', at(40), {}, null);
    pruneAll(ledger);
    expect(ledger.db.prepare("SELECT count(*) FROM runs WHERE flow = 'orders'").pluck().get()).toBe(8);
    expect(ledger.db.prepare("SELECT count(*) FROM runs WHERE flow = 'despatch'").pluck().get()).toBe(1);
    expect(ledger.db.prepare('SELECT count(*) FROM stock_cycles').pluck().get()).toBe(8);
    // The defaults keep 90 days: nothing of these 40 goes.
    const kept = createLedger(tmp.file('runs-default.db'));
    for (let d = 40; d >= 0; d--) kept.runs.finish(kept.runs.start('orders', 'schedule', at(d), false).id, 'succeeded', at(d), {}, null);
    pruneAll(kept, DEFAULT_RETENTION_SETTINGS);
    expect(kept.db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(41);
    ledger.close();
    kept.close();
  });

  it('timeline events older than settings.retention.eventsDays go; each record keeps how it arrived and its latest event; the order stays', () => {
    const ledger = createLedger(tmp.file('events-setting.db'));
    const order = { type: 'order', key: 'JL-1' };
    const sku = { type: 'sku', key: 'SKU-1' };
    // Events are added as they happen, oldest first.
    for (let d = 100; d >= 40; d -= 10) {
      ledger.timeline.add(order, 'engine', `order ${d} days ago`, at(d));
      if (d >= 60) ledger.timeline.add(sku, 'engine', `sku ${d} days ago`, at(d));
    }
    ledger.timeline.add(order, 'engine', 'order lately', at(1));
    pruneAll(ledger);
    expect(ledger.timeline.of(order).map((e) => e.summary)).toEqual(['order 100 days ago', 'order lately']);
    // Every event of the SKU is old: the first and the latest stay.
    expect(ledger.timeline.of(sku).map((e) => e.summary)).toEqual(['sku 100 days ago', 'sku 60 days ago']);
    ledger.close();
  });

  it('a stock upload keeps every row for settings.retention.stockUploadRowsDays, then a sample, then goes; one not settled stays whole', () => {
    const ledger = createLedger(tmp.file('uploads-setting.db'));
    const rows = Array.from({ length: 1_000 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i, warehouseCode: '01' }));
    const upload = (key: string, daysAgo: number, settled = true) => {
      const intent = ledger.intents.record(
        { flow: 'stock', system: 'marketplace', operation: 'STO01', recordKey: key, payload: { skus: 1_000, rows } },
        at(daysAgo),
      );
      if (settled) ledger.intents.close(intent.id, 'succeeded', at(daysAgo), { externalRef: `import-${key}` });
    };
    upload('lately', 1);
    upload('last-week', 5);
    upload('last-month', 30);
    upload('unsettled', 30, false);
    const bytes = () => ledger.db.prepare("SELECT sum(length(payload)) FROM intents WHERE operation = 'STO01'").pluck().get() as number;
    const before = bytes();
    pruneAll(ledger);
    const payloads = Object.fromEntries(
      (ledger.db.prepare('SELECT record_key, payload FROM intents ORDER BY id').all() as { record_key: string; payload: string }[]).map((r) => [
        r.record_key,
        JSON.parse(r.payload) as { skus: number; rows?: unknown[]; rowCount?: number; sample?: unknown[] },
      ]),
    );
    expect(Object.keys(payloads)).toEqual(['lately', 'last-week', 'unsettled']);
    expect(payloads.lately?.rows).toHaveLength(1_000);
    expect(payloads['last-week']).toEqual({ skus: 1_000, rowCount: 1_000, sample: rows.slice(0, 20) });
    expect(payloads.unsettled?.rows).toHaveLength(1_000);
    expect(bytes()).toBeLessThan((before * 2) / 4 + 5_000);
    ledger.close();
  });
});

describe('stock uploads as the stock flow records them (rows as lines of text)', () => {
  it('keep every line while recent, then their first 20 lines with how many SKUs and rows they sent, then go', () => {
    const ledger = createLedger(tmp.file('uploads-lines.db'));
    const now = Date.UTC(2026, 10, 29, 12);
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
    const rows = Array.from({ length: 1_000 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i % 9, warehouseCode: i % 2 ? 'LON' : 'MAN' }));
    const payload = uploadPayload(500, rows);
    const upload = (key: string, daysAgo: number) =>
      ledger.intents.close(
        ledger.intents.record({ flow: 'stock', system: 'marketplace', operation: 'STO01', recordKey: key, payload }, at(daysAgo)).id,
        'succeeded',
        at(daysAgo),
      );
    upload('lately', 1);
    upload('ten-days-ago', 10);
    upload('last-quarter', 95);
    while (pruneLedger(ledger.db, new Date(now), 50, DEFAULT_RETENTION_SETTINGS).more);
    const kept = Object.fromEntries(
      (ledger.db.prepare('SELECT record_key, payload FROM intents').all() as { record_key: string; payload: string }[]).map((r) => [
        r.record_key,
        JSON.parse(r.payload),
      ]),
    );
    expect(Object.keys(kept).sort()).toEqual(['lately', 'ten-days-ago']);
    expect(kept.lately).toEqual(payload);
    expect(kept['ten-days-ago']).toEqual({ skus: 500, rowCount: 1_000, sample: payload.lines.split('\n').slice(0, 20).join('\n') });
    expect(kept['ten-days-ago'].sample.split('\n')[1]).toBe('SKU-1;1;LON');
    ledger.close();
  });
});

describe('stock uploads settled at the same moment', () => {
  it('are all cut to their sample, a few a step', () => {
    const ledger = createLedger(tmp.file('uploads-ties.db'));
    const now = Date.UTC(2026, 10, 29, 12);
    const settled = new Date(now - 10 * DAY);
    const rows = Array.from({ length: 100 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i }));
    for (let i = 0; i < 15; i++) {
      const intent = ledger.intents.record(
        { flow: 'stock', system: 'marketplace', operation: 'STO01', recordKey: `cycle-${i}`, payload: { skus: 100, rows } },
        settled,
      );
      ledger.intents.close(intent.id, 'succeeded', settled);
    }
    let steps = 0;
    while (pruneLedger(ledger.db, new Date(now)).more) steps++;
    expect(steps).toBeGreaterThan(1);
    const payloads = ledger.db.prepare('SELECT payload FROM intents').pluck().all() as string[];
    expect(payloads.map((p) => (JSON.parse(p) as { rowCount?: number }).rowCount)).toEqual(Array(15).fill(100));
    ledger.close();
  });
});

describe('the write-ahead log', () => {
  it('shrinks back under its limit after the engine’s maintenance, once a big write has grown it', async () => {
    const file = tmp.file('wal.db');
    const ports = testPorts();
    const engine = createEngine(ports, { ledgerFile: file, buildFlows: () => [] });
    const wal = () => statSync(`${file}-wal`).size;
    // About 20 MB in one transaction, as a first stock cycle at 100,000 SKUs writes.
    const add = engine.ledger.db.prepare("INSERT INTO record_events (record_type, record_key, at, source, summary) VALUES ('sku', ?, ?, 'engine', ?)");
    const at = new Date(ports.clock.now()).toISOString();
    engine.ledger.db.transaction(() => {
      for (let i = 0; i < 20_000; i++) add.run(`SKU-${i}`, at, 'x'.repeat(1_000));
    })();
    const grown = wal();
    expect(grown).toBeGreaterThan(15 * 1024 * 1024);
    engine.start();
    await ports.clock.advance(MAINTENANCE.firstAfterMs + MAINTENANCE.nextStepMs);
    expect(wal()).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    // Nothing written was lost.
    expect(engine.ledger.db.prepare("SELECT count(*) FROM record_events WHERE record_type = 'sku'").pluck().get()).toBe(20_000);
    await engine.stop();
  });
});
