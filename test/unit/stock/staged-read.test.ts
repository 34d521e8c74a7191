import Decimal from 'decimal.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { Sap, StockRow } from '../../../electron/engine/connectors/ports/sap';
import { readSapStock } from '../../../electron/engine/flows/stock/read';
import { StockRepository } from '../../../electron/engine/flows/stock/repository';
import { openLedger } from '../../../electron/engine/ledger/db';
import { tempDir } from '../../support/ports';

const tmp = tempDir('staged-read-');
afterAll(() => tmp.cleanup());

const row = (itemCode: string, warehouseCode: string, inStock: string): StockRow => ({
  itemCode,
  warehouseCode,
  inStock: new Decimal(inStock),
  committed: new Decimal(0),
  ordered: new Decimal(0),
});

/** An SAP whose stock read answers these pages. */
const sapWith = (pages: StockRow[][]): Sap =>
  ({
    stock: {
      open: async () => ({
        path: 'sql-query',
        fallback: null,
        pages: (async function* () {
          yield* pages;
        })(),
      }),
    },
  }) as unknown as Sap;

describe('the staged read of SAP’s stock', () => {
  it('takes a row read again on a later page (offset paging while SAP’s data moves) as replacing the earlier one, never adding to it', async () => {
    const db = openLedger(tmp.file('repeat.db'));
    const repo = new StockRepository(db);
    const read = await readSapStock(
      sapWith([
        [row('A', '01', '5'), row('A', '02', '1.5'), row('B', '01', '2')],
        // The second page starts one row early: B/01 again, now 7.
        [row('B', '01', '7'), row('B', '02', '3')],
      ]),
      ['01', '02'],
      { repo, skuOf: (itemCode) => (itemCode === 'B' ? 'SKU-B' : itemCode) },
    );
    expect(read.rows).toBe(5);
    expect([...read.answered].sort()).toEqual(['01', '02']);
    const items = repo.stagedChunk('', 10, []);
    expect(items.map((i) => [i.sku, i.itemCode, i.stockText.map((s) => `${s.warehouseCode}:${s.inStock}`)])).toEqual([
      ['A', 'A', ['01:5', '02:1.5']],
      ['SKU-B', 'B', ['01:7', '02:3']],
    ]);
    expect(repo.stagedItems()).toBe(2);
    db.close();
  });
});
