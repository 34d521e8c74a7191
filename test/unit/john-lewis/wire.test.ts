import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../../electron/engine/clock';
import { CallGovernor } from '../../../electron/engine/connectors/john-lewis/governor';
import { dec, parseJson } from '../../../electron/engine/connectors/john-lewis/read';
import { buildStockCsv, buildStockCsvInChunks, parseStockErrorReport } from '../../../electron/engine/connectors/john-lewis/stock-file';
import { retryAfterMs } from '../../../electron/engine/connectors/john-lewis/client';

describe('John Lewis wire formats', () => {
  it('keeps money exact: 7.90 stays 7.90, never a float', () => {
    const body = parseJson('{"price": 7.90, "quantity": 3, "unknown_field": {"a": 0.1}}') as Record<string, unknown>;
    expect(body.price).toBe('7.90');
    expect(body.quantity).toBe(3);
    expect(dec(body.price)!.plus('0.20').toFixed(2)).toBe('8.10');
    expect(body.unknown_field).toEqual({ a: '0.1' });
  });

  it('writes the STO01 file with its header and an offer’s warehouse lines together', () => {
    const csv = buildStockCsv([
      { sku: 'A', quantity: 1, warehouseCode: 'LON' },
      { sku: 'B', quantity: 2 },
      { sku: 'A', quantity: 3, warehouseCode: 'MAN' },
    ]);
    expect(csv).toBe('offer-sku;quantity;warehouse-code;update-delete\nA;1;LON;update\nA;3;MAN;update\nB;2;;update\n');
  });

  it('builds a 100,000-line STO01 file in parts between turns of the event loop, the same file as in one go', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) =>
      ['01', '02', '03', '04'].map((w) => ({ sku: `SKU-${i % 24_000}`, quantity: i % 9, warehouseCode: w })),
    ).flat();
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const parts = await buildStockCsvInChunks(rows);
    clearInterval(ticker);
    expect(parts.join('')).toBe(buildStockCsv(rows));
    // Something else the engine serves (here a timer) runs while the file is written, not only after it.
    expect(parts.length).toBe(20);
    expect(turns).toBeGreaterThanOrEqual(10);
    expect(await buildStockCsvInChunks([])).toEqual([buildStockCsv([])]);
  });

  it('reads an STO03 report into one rejection per SKU, with or without a header', () => {
    const withHeader = '"line-number";"error-message";"offer-sku";"quantity";"warehouse-code";"update-delete"\n"2";"Unknown offer";"X1";"4";"";"update"\n';
    expect(parseStockErrorReport(withHeader)).toEqual([{ lineNumber: 2, sku: 'X1', quantity: '4', warehouseCode: null, reason: 'Unknown offer' }]);
    expect(parseStockErrorReport('3;Bad quantity;X2;-1;;\n')[0]).toMatchObject({ lineNumber: 3, sku: 'X2', reason: 'Bad quantity' });
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('30', 0)).toBe(30_000);
    expect(retryAfterMs(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
  });

  it('queues callers of one operation and pauses it after a 429', async () => {
    const clock = fakeClock(0);
    const governor = new CallGovernor(clock, { STO02: [{ limit: 1, windowMs: 15_000 }] });
    const times: number[] = [];
    const calls = [0, 1, 2].map(() => governor.acquire('STO02').then((done) => (times.push(clock.now()), done())));
    await clock.advance(60_000);
    await Promise.all(calls);
    expect(times).toEqual([0, 15_000, 30_000]);
    governor.pause('OR24', 5_000);
    expect(governor.waitTime('OR24')).toBe(5_000);
  });
});
