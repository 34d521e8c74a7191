import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StockRow } from '../../../electron/engine/connectors/ports/marketplace';
import { drive, startRig, type Rig } from './support';

// The marketplace's import time grows with the file: 2 s waiting, 1 s reading the file, then 1,000 lines a second,
// so the first, full file (32,000 lines) takes 35 s, as a full first cycle takes the longest, and a 40-line one about 3 s.
let rig: Rig;
const SKUS = 8_000;
const WAREHOUSES = ['01', '02', '03', '04'];
beforeAll(async () => {
  rig = await startRig({ config: { importWaitMs: 2_000, importRunMs: 1_000, importLinesPerSecond: 1_000 } });
});
afterAll(async () => {
  await rig.emulator.stop();
});
beforeEach(async () => {
  await rig.clock.advance(24 * 3_600_000);
  rig.emulator.admin.reset();
  rig.emulator.admin.configure({ importWaitMs: 2_000, importRunMs: 1_000, importLinesPerSecond: 1_000 });
  rig.emulator.admin.seedOffers(Array.from({ length: SKUS }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 })));
});

/** Every warehouse line of the first `skus` SKUs. */
const rows = (skus: number, quantity: number): StockRow[] =>
  Array.from({ length: skus }, (_, i) => WAREHOUSES.map((warehouseCode) => ({ sku: `SKU-${i}`, quantity, warehouseCode }))).flat();

/** Drives the fake clock in 100 ms steps, so when a poll lands is measured to a tenth of a second. */
const fine = <T>(work: Promise<T>) => drive(rig.clock, work, 100);

/** One import through the connector; when the marketplace completed it and when the connector read that. */
async function importAndAwait(lines: StockRow[]) {
  const importId = await fine(rig.marketplace.stock.push(lines));
  const outcome = await fine(rig.marketplace.stock.awaitImport(importId));
  const summary = rig.emulator.admin.stockImports().find((i) => i.importId === importId)!;
  const polls = rig.emulator.admin.calls().filter((c) => c.operation === 'STO02' && c.path.includes(importId));
  return { outcome, completedMs: summary.completedMs!, createdMs: summary.createdMs, readMs: polls.at(-1)!.atMs, polls: polls.length };
}

describe('stock import status (STO02) polled when the import should be done', () => {
  it('reads every import after the first within 2 s of the marketplace completing it, small or large, and STO02 never more than once in 15 s', async () => {
    const sizes = [SKUS, 10, SKUS, 250, 1_000, 10, SKUS / 4];
    const late: number[] = [];
    for (const [i, skus] of sizes.entries()) {
      const { outcome, completedMs, readMs } = await importAndAwait(rows(skus, i + 2));
      expect(outcome.status.state).toBe('complete');
      expect(outcome.status.linesInSuccess).toBe(skus * WAREHOUSES.length);
      late.push(readMs - completedMs);
      // The stock cycle's cadence: five minutes between imports.
      await rig.clock.advance(5 * 60_000);
    }
    // Never before the finish (no poll wasted on a half-done import once it has learnt), never 2 s after it.
    for (const ms of late.slice(1)) {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(2_000);
    }
    const polls = rig.emulator.admin
      .calls()
      .filter((c) => c.operation === 'STO02')
      .map((c) => c.atMs);
    for (let i = 1; i < polls.length; i++) expect(polls[i]! - polls[i - 1]!).toBeGreaterThanOrEqual(15_000);
    // The first (23 s) import: asked at once, then twice while it ran (its progress), then at its finish; each later one once.
    expect(polls.length).toBe(4 + sizes.length - 1);
    expect(rig.emulator.admin.offerQuantities()['SKU-0']).toBe(4 * (sizes.length + 1));
  });

  it('learns the pace from small imports alone within six imports', async () => {
    const late: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { completedMs, readMs } = await importAndAwait(rows(10, i + 2));
      late.push(readMs - completedMs);
      await rig.clock.advance(5 * 60_000);
    }
    // Each import too quick to be caught running halves what is not yet known of its start-up; then every read is on time.
    for (const ms of late.slice(6)) {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(2_000);
    }
  });

  it('reports progress while RUNNING: the line counts grow through the run', async () => {
    const importId = await fine(rig.marketplace.stock.push(rows(SKUS, 3)));
    await rig.clock.advance(5_000);
    const early = await fine(rig.marketplace.stock.importStatus(importId));
    await rig.clock.advance(15_000);
    const later = await fine(rig.marketplace.stock.importStatus(importId));
    expect([early.statusCode, later.statusCode]).toEqual(['RUNNING', 'RUNNING']);
    expect(early.linesInSuccess).toBeGreaterThan(0);
    expect(later.linesInSuccess! - early.linesInSuccess!).toBe(15_000);
    expect(Date.parse(String(early.raw.date_created))).toBe(rig.emulator.admin.stockImports()[0]!.createdMs);
  });

  it('still reads a FAILED import and an error report once it has learnt the pace', async () => {
    await importAndAwait(rows(SKUS, 2));
    await rig.clock.advance(5 * 60_000);
    const withGhost = [...rows(100, 5), { sku: 'GHOST-1', quantity: 4 }];
    const { outcome, completedMs, readMs } = await importAndAwait(withGhost);
    expect(readMs - completedMs).toBeLessThanOrEqual(2_000);
    expect(outcome.status.linesInError).toBe(1);
    expect(outcome.rejections).toEqual([expect.objectContaining({ sku: 'GHOST-1', reason: "The offer with sku 'GHOST-1' does not exist" })]);

    await rig.clock.advance(5 * 60_000);
    const form = new FormData();
    form.append('file', new Blob(['sku;qty\nSKU-1;3\n']), 'stock.csv');
    const res = await fetch(`${rig.emulator.url}/api/offers/stock/imports`, { method: 'POST', body: form, headers: { Authorization: rig.emulator.apiKey } });
    const { import_id } = (await res.json()) as { import_id: string };
    const failed = await fine(rig.marketplace.stock.awaitImport(import_id));
    expect(failed.status).toMatchObject({ state: 'failed', statusCode: 'FAILED' });
    expect(failed.status.raw.reason_status).toMatch(/header/);
  });
});
