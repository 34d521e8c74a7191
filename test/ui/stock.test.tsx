import { describe, expect, test } from 'vitest';
import type { SkuBreakdown, StockCycle } from '../../shared/domain/stock';
import { makeRun } from './fixtures';
import { renderConsole } from './render-console';

const cycle = (overrides: Partial<StockCycle> = {}): StockCycle => ({
  id: 3,
  runId: 9,
  startedAt: new Date(Date.now() - 60_000).toISOString(),
  endedAt: new Date(Date.now() - 57_600).toISOString(),
  durationMs: 2_400,
  skusRead: 20_000,
  changed: 200,
  sent: 199,
  rejected: 1,
  held: 0,
  fastLane: 12,
  warehousesExpected: ['01', '02', '03'],
  warehousesMissing: [],
  readPath: 'sql-query',
  readFallback: null,
  importId: 'imp-42',
  importStatus: 'COMPLETE',
  dryRun: false,
  reconciled: false,
  drift: 0,
  error: null,
  ...overrides,
});

const breakdown: SkuBreakdown = {
  sku: 'SKU000005',
  itemCode: 'SKU000005',
  available: 96,
  computedAt: new Date().toISOString(),
  confirmed: 96,
  confirmedAt: new Date().toISOString(),
  heldBy: [],
  rejected: null,
  warehouses: [
    { warehouseCode: '01', included: true, notCounted: null, inStock: '92', committed: '7', ordered: '0', counted: '85' },
    { warehouseCode: '02', included: true, notCounted: null, inStock: '13', committed: '0', ordered: '5', counted: '13' },
    { warehouseCode: '04', included: false, notCounted: 'excluded', inStock: '49', committed: '0', ordered: '0', counted: '0' },
  ],
  sum: '98',
  buffer: 2,
  reserved: 0,
  cap: null,
  includeOrdered: false,
  lines: [{ warehouseCode: null, quantity: 96 }],
};

async function openStock(setup: Parameters<typeof renderConsole>[0]) {
  const rendered = await renderConsole(setup);
  await rendered.screen.getByRole('tab', { name: 'Stock' }).click();
  return rendered;
}

describe('Stock screen', () => {
  test('shows the last cycle: SKUs read, changed, sent, rejected and how long it took', async () => {
    const { screen } = await openStock((a) => (a.stock.lastCycle = cycle()));
    const last = screen.getByTestId('stock-last-cycle');
    await expect.element(last).toMatchTextContent(/SKUs read\s*20000/);
    await expect.element(last).toMatchTextContent(/Changed\s*200/);
    await expect.element(last).toMatchTextContent(/Sent\s*199/);
    await expect.element(last).toMatchTextContent(/Rejected\s*1/);
    await expect.element(last).toMatchTextContent('2.4 s');
    await expect.element(last).toMatchTextContent('stock import imp-42 COMPLETE');
  });

  test('says which warehouse did not answer and how many SKUs were held back', async () => {
    const { screen } = await openStock((a) => (a.stock.lastCycle = cycle({ warehousesMissing: ['03'], held: 812, sent: 0 })));
    await expect.element(screen.getByRole('alert')).toMatchTextContent('Warehouse 03 did not answer: 812 SKUs kept their last figure.');
  });

  test('says the stock was read with the stored SQL query', async () => {
    const { screen } = await openStock((a) => (a.stock.lastCycle = cycle()));
    await expect.element(screen.getByTestId('stock-read-path')).toMatchTextContent('Read from SAP with the stored SQL query');
  });

  test('says the stock was read item by item on a Service Layer without SQL queries, and when it tries the query again', async () => {
    const since = '2026-11-26T09:00:00.000Z';
    const recheckAt = '2026-11-26T15:00:00.000Z';
    const older = await openStock(
      (a) => (a.stock.lastCycle = cycle({ readPath: 'items', readFallback: { cause: 'absent', sapMessage: 'Unrecognized resource path', since, recheckAt } })),
    );
    const path = older.screen.getByTestId('stock-read-path');
    await expect.element(path).toMatchTextContent('Read from SAP item by item');
    await expect.element(path).toMatchTextContent('this SAP Service Layer has no stored SQL queries');
    await expect.element(path).toMatchTextContent('SAP answered “Unrecognized resource path” at 26 Nov, 09:00:00');
    await expect.element(path).toMatchTextContent('the SQL query is tried again after 26 Nov, 15:00:00');
  });

  test('says SAP refused SQL queries to this user when it did', async () => {
    const { screen } = await openStock(
      (a) =>
        (a.stock.lastCycle = cycle({ readPath: 'items', readFallback: { cause: 'not-permitted', sapMessage: 'not permitted', since: null, recheckAt: null } })),
    );
    await expect.element(screen.getByTestId('stock-read-path')).toMatchTextContent('SAP does not permit this SAP user or company to create or run SQL queries');
  });

  test('refreshes when a stock run finishes', async () => {
    const { api, screen } = await openStock((a) => (a.stock.lastCycle = null));
    await expect.element(screen.getByText('No stock cycle has run yet.')).toBeVisible();
    api.stock.lastCycle = cycle({ skusRead: 321 });
    api.emit('run.finished', makeRun({ id: 10, flow: 'stock' }));
    await expect.element(screen.getByTestId('stock-last-cycle')).toMatchTextContent(/SKUs read\s*321/);
  });

  test('finds a SKU and shows how its figure was computed, warehouse by warehouse', async () => {
    const { screen } = await openStock((a) => (a.stock.breakdowns = [breakdown]));
    await screen.getByRole('textbox', { name: 'SKU' }).fill('SKU000005');
    await screen.getByRole('button', { name: 'Show' }).click();
    await expect.element(screen.getByTestId('warehouse-01')).toMatchTextContent(/01\s*92\s*7\s*0\s*85/);
    await expect.element(screen.getByTestId('warehouse-04')).toMatchTextContent('excluded');
    await expect.element(screen.getByTestId('stock-formula')).toMatchTextContent('sum 98 − buffer 2, floored at 0 = 96 available. Marketplace confirmed 96');
    await screen.getByRole('textbox', { name: 'SKU' }).fill('NOPE');
    await screen.getByRole('button', { name: 'Show' }).click();
    await expect.element(screen.getByText('No stock figure for that SKU yet.')).toBeVisible();
  });

  test('says why each warehouse that did not count was left out', async () => {
    const { screen } = await openStock((a) => {
      a.stock.breakdowns = [
        {
          ...breakdown,
          warehouses: [
            ...breakdown.warehouses,
            { warehouseCode: '05', included: false, notCounted: 'not-nettable', inStock: '30', committed: '0', ordered: '0', counted: '0' },
            { warehouseCode: '06', included: false, notCounted: 'drop-ship', inStock: '0', committed: '4', ordered: '9', counted: '0' },
            { warehouseCode: '07', included: false, notCounted: 'inactive', inStock: '2', committed: '0', ordered: '0', counted: '0' },
          ],
        },
      ];
    });
    await screen.getByRole('textbox', { name: 'SKU' }).fill('SKU000005');
    await screen.getByRole('button', { name: 'Show' }).click();
    await expect.element(screen.getByTestId('warehouse-04')).toMatchTextContent('not counted: excluded in Stock settings');
    await expect.element(screen.getByTestId('warehouse-05')).toMatchTextContent('not counted: not nettable in SAP');
    await expect.element(screen.getByTestId('warehouse-06')).toMatchTextContent('not counted: drop-ship in SAP');
    await expect.element(screen.getByTestId('warehouse-07')).toMatchTextContent('not counted: inactive in SAP');
  });

  test('shows units on marketplace orders not yet in SAP taken off the figure', async () => {
    const { screen } = await openStock((a) => {
      a.stock.breakdowns = [{ ...breakdown, reserved: 3, available: 93, lines: [{ warehouseCode: null, quantity: 93 }] }];
    });
    await screen.getByRole('textbox', { name: 'SKU' }).fill('SKU000005');
    await screen.getByRole('button', { name: 'Show' }).click();
    await expect.element(screen.getByTestId('stock-formula')).toMatchTextContent('floored at 0 − 3 on marketplace orders not yet in SAP = 93 available');
  });

  test('lists SKUs mapped on one side only', async () => {
    const { screen } = await openStock((a) => {
      a.stock.reconciliation = {
        rows: [
          { sku: 'JL-ORPHAN', itemCode: null, side: 'marketplace-only', marketplaceQuantity: 3, seenAt: new Date().toISOString() },
          { sku: 'SKU000011', itemCode: 'SKU000011', side: 'sap-only', marketplaceQuantity: null, seenAt: new Date().toISOString() },
        ],
        reconciledAt: new Date().toISOString(),
      };
    });
    await expect.element(screen.getByTestId('reconciliation-JL-ORPHAN')).toMatchTextContent('On the marketplace only (no SAP item)');
    await expect.element(screen.getByTestId('reconciliation-SKU000011')).toMatchTextContent('In SAP only (no offer)');
    await expect.element(screen.getByText(/2 SKUs on one side only/)).toBeVisible();
  });

  test('saves only the stock settings that changed, and checks them first', async () => {
    const { api, screen } = await openStock(() => undefined);
    await screen.getByRole('textbox', { name: 'Excluded warehouses' }).fill('04, RET');
    await screen.getByRole('textbox', { name: 'Buffer (units)' }).fill('two');
    await screen.getByRole('button', { name: 'Save stock settings' }).click();
    await expect.element(screen.getByText('The buffer is a whole number of units (0 or more).')).toBeVisible();
    expect(api.commandsNamed('settings.update')).toEqual([]);

    await screen.getByRole('textbox', { name: 'Buffer (units)' }).fill('2');
    await screen.getByRole('textbox', { name: 'Cap (units)' }).fill('50');
    await screen.getByRole('textbox', { name: 'Buffers per SKU' }).fill('SKU000003=10');
    await screen.getByRole('textbox', { name: 'Cadence (seconds)' }).fill('300');
    await screen.getByRole('button', { name: 'Save stock settings' }).click();
    expect(api.commandsNamed('settings.update')).toEqual([
      {
        patch: {
          stock: { warehouses: { include: [], exclude: ['04', 'RET'] }, buffer: 2, skuBuffers: { SKU000003: 10 }, cap: 50 },
          flows: { stock: { cadenceSeconds: 300 } },
        },
        actor: 'Priya Shah',
      },
    ]);
    await expect.element(screen.getByRole('textbox', { name: 'Cap (units)' })).toHaveValue('50');
  });
});
