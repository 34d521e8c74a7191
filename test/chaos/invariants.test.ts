import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/engine/ledger';
import { tempDir } from '../support/ports';
import { checkLedger, checkWorld } from './invariants';
import { planTrial } from './plan';
import { placedOrder } from './people';
import { startChaosWorld, type ChaosWorld } from './world';

/**
 * The chaos suite's checks find what they are there to find: each invariant is broken by hand in the emulators or
 * the ledger, and must be reported on the record it concerns (a suite that reports 0 violations proves nothing
 * unless its checks can fail).
 */
describe('the chaos invariants', () => {
  let world: ChaosWorld;
  const tmp = tempDir('chaos-invariants-');
  beforeAll(async () => (world = await startChaosWorld()));
  afterAll(async () => {
    await world.stop();
    tmp.cleanup();
  });

  it('report a duplicate Sales Order, a despatch never confirmed, a missing invoice and Credit Memo, stock out of step, a problem nobody was told of and one left open', () => {
    const plan = planTrial(1);
    world.resetFor(plan);
    const ledgerFile = tmp.file('ledger.db');
    const ledger = createLedger(ledgerFile);
    // A stock import failure left open although every import since went through.
    ledger.exceptions.raise(
      {
        flow: 'stock',
        type: 'stock-import-failed',
        severity: 'error',
        record: { type: 'stock-import', key: 'imp-1' },
        summary: 'Import imp-1 failed',
        suggestedAction: '-',
      },
      new Date(),
    );
    ledger.close();
    const [made] = world.jl.admin.createOrders({ count: 1, skus: ['SKU000001'], quantities: [1] });
    const order = placedOrder({ at: 0, lines: [{ sku: 'SKU000001', quantity: 1 }], despatch: true, aftercare: 'back-office-refund' }, made!);
    // Everything as it should be for a fresh order except what is broken below: SAP holds it twice.
    const salesOrder = { CardCode: 'C-JLM', NumAtCard: made!.commercialId, U_JLM_OrderId: made!.orderId, DocumentStatus: 'bost_Open' };
    world.sap.state.documents.Orders.set(9001, { DocEntry: 9001, ...salesOrder });
    world.sap.state.documents.Orders.set(9002, { DocEntry: 9002, ...salesOrder });
    order.despatched = { docEntry: 77, trackingNumber: 'RM1GB' };
    world.sap.state.documents.CreditNotes.set(5, { DocEntry: 5, U_JLM_RefundId: 'no-such-refund' });

    const found = checkWorld(world, [order], ledgerFile);
    const by = (invariant: string) => found.filter((v) => v.invariant === invariant).map((v) => v.detail);
    expect(by('one-sales-order-per-order')).toEqual([expect.stringContaining(`${made!.orderId} (WAITING_ACCEPTANCE): 2 Sales Orders, 1 wanted`)]);
    expect(by('one-despatch-confirmation-per-despatch')).toEqual([expect.stringContaining('the marketplace has it WAITING_ACCEPTANCE with no tracking')]);
    expect(by('one-invoice-per-delivered-order')).toEqual([expect.stringContaining('0 A/R Invoices, 1 wanted')]);
    expect(by('one-credit-memo-per-refund')).toEqual([expect.stringContaining('refund no-such-refund, which no order has')]);
    // The offers were seeded at 0 and nobody has sent SAP's figure.
    expect(by('marketplace-stock-follows-sap')).toHaveLength(4);
    expect(by('no-exception-lost')).toEqual([`${made!.orderId} is not done and no exception says why`]);
    expect(by('no-exception-duplicated-or-stale')).toEqual([expect.stringContaining('stock stock-import-failed on stock-import imp-1 is still open')]);
  });

  it('report a ledger SQLite finds damaged', () => {
    const ledgerFile = tmp.file('damaged.db');
    const ledger = createLedger(ledgerFile);
    // An audit line of an exception that is not there: a row no foreign key allows.
    ledger.db.pragma('foreign_keys = OFF');
    ledger.db.prepare("INSERT INTO exception_actions (exception_id, action, actor, at) VALUES (424242, 'raised', 'test', '2026-11-30')").run();
    ledger.close();
    expect(checkLedger(ledgerFile)).toEqual([{ invariant: 'ledger-intact', detail: expect.stringMatching(/^foreign_key_check: 1 rows/) }]);
  });
});
