import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import type { PayoutLine } from '../../../shared/contract/settlement';
import { tempDir } from '../../support/ports';
import { jumpingClock } from './engine-factory';
import { SKUS, reconcile, startSettlementWorld, type SettlementWorld } from './world';

type Shipped = Awaited<ReturnType<SettlementWorld['shippedOrders']>>[number];
const d = (v: unknown) => new Decimal(String(v));
const sum = (values: readonly string[]) => values.reduce((a, v) => a.plus(v), new Decimal(0)).toFixed(2);

/**
 * A warehouse console puts orders, invoices and credit memos into SAP; a finance console with an empty ledger of its
 * own reconciles the marketplace's payouts against what it finds in SAP.
 */
describe('payout reconciliation against both emulators', () => {
  const tmp = tempDir('settlement-it-');
  let world: SettlementWorld;
  let ops: Engine;
  let finance: Engine;
  let cycle1: string;
  let cycle1Amount: string;
  let matched: Shipped, pennyNet: Shipped, vatOff: Shipped, refunded: Shipped, notCredited: Shipped, split: Shipped, later: Shipped;
  let notDelivered: string;
  let refundIdD: string;
  let refundIdE: string;
  let notApplicable: string;
  /** The marketplace lists billing cycles once a day: the finance console's clock moves on a day to see a new one. */
  const clock = jumpingClock();
  /** SAP requests of the finance console's first run. */
  let firstRun: { method: string; path: string }[];

  const linesOf = async (engine: Engine, cycleId: string, search?: string): Promise<PayoutLine[]> => {
    const out: PayoutLine[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await engine.query('payouts.lines', { cycleId, search, limit: 500, offset });
      out.push(...page.rows);
      if (out.length >= page.total) return out;
    }
  };
  const classesOf = (lines: PayoutLine[]) => [...new Set(lines.map((l) => l.class))].sort();

  beforeAll(async () => {
    world = await startSettlementWorld();
    ops = world.engine({ ledgerFile: tmp.file('warehouse.db') });
    await ops.command('orders.preflight', { createFields: true, actor: 'test' });
    await ops.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    // SKU000001 at £19.99: SAP's VAT on its net price is the marketplace's to the penny; SKU000002 at £9.99 is not (a penny moves).
    const five = await world.shippedOrders(ops, 5, { skus: [SKUS[0]!], quantity: 2 });
    [matched, pennyNet, vatOff, refunded, notCredited] = [five[0]!, five[1]!, five[2]!, five[3]!, five[4]!];
    split = (await world.shippedOrders(ops, 1, { skus: [SKUS[1]!], quantity: 2 }))[0]!;
    await world.run(ops, 'invoicing');
    expect(world.documents('Invoices')).toHaveLength(6);

    // An order the marketplace debited that never left the warehouse: a Sales Order, no invoice.
    const [created] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[0]!], quantities: [1] });
    notDelivered = created!.orderId;
    await world.run(ops, 'orders');
    world.jl.admin.debitOrders([notDelivered]);
    await world.run(ops, 'orders');

    // A refund credited in SAP, and one the marketplace paid back that no Credit Memo credits (the returns flow has not run since).
    refundIdD = world.jl.admin.refundFromBackOffice({ orderId: refunded.orderId, lines: [{ orderLineId: refunded.lines[0]!.orderLineId, amount: '5.00' }] })
      .refunds[0]!.refundId;
    await world.run(ops, 'orders');
    await world.run(ops, 'returns');
    expect(world.documents('CreditNotes', refunded.orderId)).toHaveLength(1);
    refundIdE = world.jl.admin.refundFromBackOffice({
      orderId: notCredited.orderId,
      lines: [{ orderLineId: notCredited.lines[0]!.orderLineId, amount: '4.00' }],
    }).refunds[0]!.refundId;
    // The customers are paid back: the refunds' lines are payable, in the next cycle.
    expect(world.jl.admin.completeRefunds()).toEqual(expect.arrayContaining([refundIdD, refundIdE]));

    // Invoices changed by hand in SAP: one a penny more net, one 2p more VAT.
    const invoiceOf = (orderId: string) => world.documents('Invoices', orderId)[0]!;
    const b = invoiceOf(pennyNet.orderId);
    b.DocTotal = d(b.DocTotal).plus('0.01').toNumber();
    const c = invoiceOf(vatOff.orderId);
    c.DocTotal = d(c.DocTotal).plus('0.02').toNumber();
    c.VatSum = d(c.VatSum).plus('0.02').toNumber();

    // The month's subscription, a manual credit, money held back in reserve, and a line the marketplace shows but never pays.
    world.jl.admin.chargeSubscription({ net: '35.00' });
    world.jl.admin.manualDocument({ kind: 'credit', net: '10.00', description: 'Goodwill' });
    world.jl.admin.holdReserve('25.00');
    notApplicable = world.jl.admin.plantTransactions([{ type: 'OPERATOR_REMITTED_ORDER_AMOUNT_TAX', amount: '-1.23', paymentState: 'NOT_APPLICABLE' }])[0]!.id;

    const closed = world.jl.admin.closeBillingCycle()!;
    cycle1 = closed.billingCycleId;
    cycle1Amount = closed.amount;

    // After the cycle: an order shipped and invoiced whose money a later payout brings.
    later = (await world.shippedOrders(ops, 1, { skus: [SKUS[0]!], quantity: 1 }))[0]!;
    await ops.command('invoicing.runNow', { actor: 'Finance' });
    await ops.idle();
    expect(world.documents('Invoices', later.orderId)).toHaveLength(1);
    await ops.stop();

    finance = world.financeEngine({ ledgerFile: tmp.file('finance.db'), clock });
    world.sap.clearCalls();
    await reconcile(finance);
    firstRun = world.sap.calls().map((c) => ({ method: c.method, path: decodeURIComponent(c.path) }));
  }, 180_000);
  afterAll(async () => {
    await finance?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('ties the cycle out: its lines add up to the amount transferred and to the payout line', async () => {
    const { rows } = await finance.query('payouts.list', {});
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cycleId: cycle1, amountTransferred: cycle1Amount, tieOut: 'ties', tieOutDifference: null, read: { done: true, pages: 1 } });
    const lines = await linesOf(finance, cycle1);
    expect(rows[0]!.read.lines).toBe(lines.length);
    // Every line but the payout and the one the marketplace never pays.
    expect(sum(lines.filter((l) => l.kind !== 'payment' && l.lineId !== notApplicable).map((l) => l.amount))).toBe(cycle1Amount);
    expect(lines.filter((l) => l.class === 'payment').map((l) => l.amount)).toEqual([d(cycle1Amount).neg().toFixed(2)]);
    const detail = (await finance.query('payouts.get', { cycleId: cycle1 }))!;
    expect(detail.totals.netPayout).toBe(cycle1Amount);
    // The totals add up to the net payout.
    const t = detail.totals;
    expect(sum([t.sales, t.shipping, t.vat, t.refunds, t.commission, t.commissionVat, t.subscription, t.otherFees, t.reserve])).toBe(t.netPayout);
  });

  it('matches every order and refund with the SAP document that pays it, found in SAP by a console whose ledger never saw them', async () => {
    const sale = async (o: { orderId: string }) =>
      (await linesOf(finance, cycle1, o.orderId)).filter((l) => ['sale', 'sale-vat', 'shipping', 'shipping-vat'].includes(l.kind));
    const invoiceNum = (orderId: string) => world.documents('Invoices', orderId)[0]!.DocNum;

    const a = await sale(matched);
    expect(classesOf(a)).toEqual(['matched']);
    expect(a.every((l) => l.sapDocument?.kind === 'invoice' && l.sapDocument.docNum === invoiceNum(matched.orderId))).toBe(true);
    expect(a.every((l) => l.difference === null)).toBe(true);

    // A penny moved between net and VAT by SAP's VAT arithmetic is matched, and shown.
    const s = await sale(split);
    expect(classesOf(s)).toEqual(['matched']);
    expect(s.filter((l) => l.difference).map((l) => [l.kind, l.difference])).toEqual([['sale', { net: '-0.01', vat: '0.01' }]]);

    // Refund credited: the Credit Memo carrying its refund id.
    const refundLines = (await linesOf(finance, cycle1, refundIdD)).filter((l) => l.refundId === refundIdD && l.kind.startsWith('refund'));
    // Goods refunded, no shipping: the shipping lines are there at 0.00.
    expect(refundLines.map((l) => l.kind).sort()).toEqual(['refund', 'refund-shipping', 'refund-shipping-vat', 'refund-vat']);
    expect(classesOf(refundLines)).toEqual(['matched']);
    expect(refundLines[0]!.sapDocument).toMatchObject({ kind: 'credit-memo', docNum: world.documents('CreditNotes', refunded.orderId)[0]!.DocNum });
  });

  it('finds the planted differences, net and VAT apart, and what SAP is missing', async () => {
    const sale = async (o: { orderId: string }) =>
      (await linesOf(finance, cycle1, o.orderId)).filter((l) => ['sale', 'sale-vat', 'shipping', 'shipping-vat'].includes(l.kind));
    const b = await sale(pennyNet);
    expect(classesOf(b)).toEqual(['amount-differs']);
    expect(b.filter((l) => l.difference).map((l) => l.difference)).toEqual([{ net: '0.01', vat: '0.00' }]);
    const c = await sale(vatOff);
    expect(classesOf(c)).toEqual(['amount-differs']);
    expect(c.filter((l) => l.difference).map((l) => l.difference)).toEqual([{ net: '0.00', vat: '0.02' }]);

    // Debited, never delivered, never invoiced.
    const f = await sale({ orderId: notDelivered });
    expect(f.length).toBeGreaterThan(0);
    expect(classesOf(f)).toEqual(['missing-in-sap']);
    expect(f.every((l) => l.sapDocument === null)).toBe(true);
    // Paid back to the customer, never credited in SAP; the order's sale itself is matched.
    const e = (await linesOf(finance, cycle1, refundIdE)).filter((l) => l.refundId === refundIdE && l.kind.startsWith('refund'));
    expect(e).toHaveLength(4);
    expect(classesOf(e)).toEqual(['missing-in-sap']);
    expect(classesOf(await sale(notCredited))).toEqual(['matched']);

    const all = await linesOf(finance, cycle1);
    const variances = all.filter((l) => l.class === 'amount-differs' || l.class === 'missing-in-sap');
    expect([...new Set(variances.map((l) => l.orderId))].sort()).toEqual([pennyNet.orderId, vatOff.orderId, notDelivered, notCredited.orderId].sort());
    const summary = (await finance.query('payouts.list', { filter: 'has-variances' })).rows[0]!;
    expect(summary.variances).toBe(variances.length);
    expect((await finance.query('payouts.lines', { cycleId: cycle1, class: 'missing-in-sap' })).total).toBe(
      all.filter((l) => l.class === 'missing-in-sap').length,
    );
  });

  it('shows fees, reserve and what is not paid apart, each in its total', async () => {
    const all = await linesOf(finance, cycle1);
    const kindsOf = (cls: string) => [...new Set(all.filter((l) => l.class === cls).map((l) => l.kind))].sort();
    // Commission and its VAT (and their reversal on refunds), the subscription and the manual credit: no customer document pays them.
    expect(kindsOf('fee')).toEqual([
      'commission',
      'commission-reversal',
      'commission-vat',
      'commission-vat-reversal',
      'manual-credit',
      'manual-credit-vat',
      'subscription',
      'subscription-vat',
    ]);
    expect(kindsOf('reserve')).toEqual(['reserve-held']);
    expect(all.filter((l) => l.class === 'pending').map((l) => l.lineId)).toEqual([notApplicable]);
    const detail = (await finance.query('payouts.get', { cycleId: cycle1 }))!;
    expect(detail.totals).toMatchObject({ subscription: '-42.00', reserve: '-25.00' });
    expect(detail.totals.otherFees).toBe('12.00');
    // The line never paid is in no total: the lines still add up to the money transferred.
    expect(detail.cycle.tieOut).toBe('ties');
    expect(sum(all.filter((l) => l.class !== 'payment' && l.class !== 'pending').map((l) => l.amount))).toBe(cycle1Amount);
  });

  it('lists the SAP invoice of the period that no line pays, until a later payout pays it', async () => {
    const detail = (await finance.query('payouts.get', { cycleId: cycle1 }))!;
    expect(detail.unpaidInSap.map((u) => [u.kind, u.orderId])).toEqual([['invoice', later.orderId]]);
    expect(detail.unpaidInSap[0]!.docNum).toBe(world.documents('Invoices', later.orderId)[0]!.DocNum);
    expect(detail.cycle.unpaidInSap).toBe(1);

    // The next cycle pays it: read, it is no longer unpaid in the first.
    const closed = world.jl.admin.closeBillingCycle()!;
    clock.jump(24 * 3_600_000);
    await reconcile(finance);
    expect((await finance.query('payouts.get', { cycleId: cycle1 }))!.unpaidInSap).toEqual([]);
    const second = (await finance.query('payouts.get', { cycleId: closed.billingCycleId }))!;
    expect(second.cycle.tieOut).toBe('ties');
    expect(classesOf((await linesOf(finance, closed.billingCycleId, later.orderId)).filter((l) => l.kind.startsWith('sale')))).toEqual(['matched']);
  });

  it('asks SAP in batches, and by the customer’s number only for what the batch did not find', () => {
    const reads = (set: string) => firstRun.filter((c) => c.method === 'GET' && c.path.startsWith(`/b1s/v2/${set}?`)).map((c) => c.path);
    const byOrderIds = (paths: string[]) => paths.filter((p) => p.includes('U_JLM_OrderId eq'));
    // Seven orders' invoices in one request (the connector sends 20 order ids a request).
    const invoiceBatch = byOrderIds(reads('Invoices')).filter((p) => p.includes(' or '));
    expect(invoiceBatch).toHaveLength(1);
    expect(invoiceBatch[0]!.match(/U_JLM_OrderId eq/g)).toHaveLength(7);
    expect(byOrderIds(reads('CreditNotes')).filter((p) => p.includes(' or '))).toHaveLength(1);
    // The order with no invoice and the refund with no Credit Memo, each looked for once more, by its id and its NumAtCard.
    expect(reads('Invoices').filter((p) => p.includes(`NumAtCard eq '${notDelivered.replace(/-A$/, '')}'`))).toHaveLength(1);
    expect(reads('CreditNotes').filter((p) => p.includes(`NumAtCard eq '${notCredited.numAtCard}'`))).toHaveLength(1);
    // The period's documents: one page of invoices, one of credit memos.
    expect(reads('Invoices').filter((p) => p.includes('DocDate ge'))).toHaveLength(1);
    expect(reads('CreditNotes').filter((p) => p.includes('DocDate ge'))).toHaveLength(1);
    expect(firstRun.filter((c) => c.method === 'GET')).toHaveLength(8);
  });
});
