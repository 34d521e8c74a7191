import { readFileSync } from 'node:fs';
import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PUBLISHED_MAXIMA } from '../../../electron/engine/connectors/john-lewis';
import { transactionKind } from '../../../electron/engine/connectors/john-lewis/transaction-kinds';
import type { SeekPage, TransactionLine } from '../../../electron/engine/connectors/ports/marketplace';
import { TRANSACTION_TYPES } from '../../../emulators/john-lewis';
import { STRICT_SPEC_PATH } from './conformance';
import { shipOrders, startRig, type Rig } from './support';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Every line of a billing cycle through the connector, page by page; the pages as read. */
async function readCycle(rig: Rig, billingCycleId: string, limit = 2000): Promise<{ lines: TransactionLine[]; pages: number[] }> {
  const lines: TransactionLine[] = [];
  const pages: number[] = [];
  let pageToken: string | null = null;
  do {
    const page: SeekPage<TransactionLine> = await rig.drive(rig.marketplace.finance.transactions(pageToken ? { pageToken, limit } : { billingCycleId, limit }));
    lines.push(...page.items);
    pages.push(page.items.length);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return { lines, pages };
}

const sum = (lines: readonly TransactionLine[]) => lines.reduce((a, t) => a.plus(t.amount!), new Decimal(0));
/** What a cycle's payout is made of: every line but the payout itself and lines the marketplace never pays. */
const paidOut = (lines: readonly TransactionLine[]) => lines.filter((t) => t.kind !== 'payment' && t.paymentState !== 'not-applicable');
const ukMonth = (iso: string | null) => new Date(iso!).toLocaleDateString('en-GB', { timeZone: 'Europe/London', month: '2-digit', year: 'numeric' });
const byKind = (lines: readonly TransactionLine[], ...kinds: TransactionLine['kind'][]) => lines.filter((t) => kinds.includes(t.kind));

describe('a billing cycle as the marketplace pays it', () => {
  let rig: Rig;
  beforeAll(async () => {
    // Sales are payable once shipped; refunds wait for the admin API to pay the customer back.
    rig = await startRig({ config: { orderPayableOn: 'shipment', refundDelayMs: null } });
    rig.emulator.admin.seedOffers([
      { sku: 'SOFA-1', quantity: 50, price: '499.00' },
      { sku: 'CUSHION', quantity: 50, price: '24.00' },
      { sku: 'TEA', quantity: 50, price: '6.50', taxes: ['reduced'] },
    ]);
  });
  afterAll(async () => {
    await rig.emulator.stop();
  });

  it('a cycle across a month end: its lines add up to the money transferred, the PAYMENT line clears it, pending lines wait', async () => {
    const admin = rig.emulator.admin;
    // An earlier payout, so the cycle read below is not the only one.
    await shipOrders(rig, admin.createOrders({ count: 2, skus: ['CUSHION'] }));
    const earlier = admin.closeBillingCycle()!;

    // 30 November, evening: orders shipped, one refunded by the shop (still waiting), one by the back office (paid back).
    await rig.clock.advance(Date.UTC(2026, 10, 30, 20) - rig.clock.now());
    const orders = admin.createOrders({ count: 4, skus: ['SOFA-1', 'CUSHION', 'TEA'], linesPerOrder: 2, quantities: [1, 2] });
    const [o1, o2, o3, unshipped] = orders;
    await shipOrders(rig, [o1!, o2!, o3!]);
    await rig.drive(
      rig.marketplace.orders.accept(
        unshipped!.orderId,
        unshipped!.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
      ),
    );
    admin.debitOrders([unshipped!.orderId]);
    const [waiting] = await rig.drive(
      rig.marketplace.orders.refund({
        taxMode: 'TAX_INCLUDED',
        refunds: [
          {
            orderLineId: o1!.lines[1]!.orderLineId,
            amount: new Decimal('24.00'),
            shippingAmount: new Decimal(0),
            taxes: [{ code: 'GB-VAT-STD', amount: new Decimal('4.00') }],
            reasonCode: '20',
          },
        ],
      }),
    );
    const backOffice = admin.refundFromBackOffice({ orderId: o2!.orderId, reasonCode: '17' });
    admin.completeRefunds(backOffice.refunds.map((r) => r.refundId));
    // 1 December: another order, the subscription, the operator's manual invoice and credit, money held in reserve.
    await rig.clock.advance(Date.UTC(2026, 11, 1, 8) - rig.clock.now());
    const [december] = admin.createOrders({ count: 1, skus: ['CUSHION'] });
    await shipOrders(rig, [december!]);
    admin.chargeSubscription({ net: '35.00' });
    const invoice = admin.manualDocument({ kind: 'invoice', net: '120.00', description: 'Marketing contribution' });
    const credit = admin.manualDocument({ kind: 'credit', net: '4.17', orderId: o3!.orderId, description: 'Carrier damage' });
    admin.holdReserve('200.00');
    const cycle = admin.closeBillingCycle()!;

    const cycles = await rig.drive(rig.marketplace.finance.billingCycles());
    expect(cycles.map((c) => c.id)).toEqual([earlier.billingCycleId, cycle.billingCycleId]);
    const payout = cycles[1]!;
    expect([payout.payOutState, payout.payOutReference, payout.payOutDate]).toEqual(['PAID', expect.stringMatching(/^PAYOUT-/), expect.any(String)]);

    // Read in small pages: every page stays within the cycle (a page token keeps its listing).
    const { lines, pages } = await readCycle(rig, cycle.billingCycleId, 7);
    expect(pages.length).toBeGreaterThan(3);
    expect(new Set(lines.map((t) => t.id)).size).toBe(lines.length);
    expect(lines.length).toBe(cycle.lines);
    expect(lines.every((t) => t.billingCycleId === cycle.billingCycleId)).toBe(true);

    // Tie-out: Σ lines = amount transferred = −PAYMENT.
    const [payment, ...others] = byKind(lines, 'payment');
    expect(others).toEqual([]);
    expect(sum(paidOut(lines)).toFixed(2)).toBe(payout.amountTransferredToSeller!.toFixed(2));
    expect(payment!.amount!.neg().toFixed(2)).toBe(payout.amountTransferredToSeller!.toFixed(2));
    // The reserve held lowers the payout and stays held; everything else is paid.
    expect(byKind(lines, 'reserve-held').map((t) => [t.amount!.toFixed(2), t.paymentState])).toEqual([['-200.00', 'reserve']]);
    expect(lines.filter((t) => t.kind !== 'reserve-held').every((t) => t.paymentState === 'paid')).toBe(true);

    // Lines dated in November and in December (UK time) are in one payout.
    expect([...new Set(lines.map((t) => ukMonth(t.dateCreated)))].sort()).toEqual(['11/2026', '12/2026']);

    // Every type a UK seller meets is there, each in the console's words.
    expect(lines.filter((t) => t.kind === 'other')).toEqual([]);
    expect(new Set(lines.map((t) => t.kind))).toEqual(
      new Set([
        'sale',
        'sale-vat',
        'shipping',
        'shipping-vat',
        'commission',
        'commission-vat',
        'refund',
        'refund-vat',
        'refund-shipping',
        'refund-shipping-vat',
        'commission-reversal',
        'commission-vat-reversal',
        'subscription',
        'subscription-vat',
        'manual-invoice',
        'manual-invoice-vat',
        'manual-credit',
        'manual-credit-vat',
        'reserve-held',
        'payment',
      ]),
    );
    // Order lines name their order (logistic and customer's id) and order line; refund lines their refund.
    for (const t of byKind(lines, 'sale', 'sale-vat', 'shipping', 'shipping-vat', 'commission', 'commission-vat')) {
      expect(t.orderId).toMatch(/-A$/);
      expect(t.orderId).toBe(`${t.commercialId}-A`);
      expect(t.orderLineId).toMatch(new RegExp(`^${t.orderId}-\\d$`));
    }
    const refundLines = byKind(lines, 'refund', 'refund-vat', 'refund-shipping', 'refund-shipping-vat', 'commission-reversal', 'commission-vat-reversal');
    expect(new Set(refundLines.map((t) => t.refundId))).toEqual(new Set(backOffice.refunds.map((r) => r.refundId)));
    // The 5 % VAT of the tea is its own line.
    expect(
      byKind(lines, 'sale-vat')
        .map((t) => t.raw.entities)
        .filter((e) => JSON.stringify(e).includes('GB-VAT-RED')).length,
    ).toBeGreaterThan(0);

    // Pending stays out: the unshipped order and the refund not yet paid back are in no cycle.
    const pending = await rig.drive(rig.marketplace.finance.transactions({ orderIds: [unshipped!.orderId, o1!.orderId] }));
    const notInCycle = pending.items.filter((t) => t.billingCycleId === null);
    expect(notInCycle.length).toBeGreaterThan(0);
    expect(notInCycle.every((t) => t.paymentState === 'pending')).toBe(true);
    expect(new Set(notInCycle.map((t) => t.orderId))).toEqual(new Set([unshipped!.orderId, o1!.orderId]));
    expect(notInCycle.filter((t) => t.orderId === o1!.orderId).every((t) => t.refundId === waiting!.refundId)).toBe(true);
    expect(lines.some((t) => t.refundId === waiting!.refundId || t.orderId === unshipped!.orderId)).toBe(false);

    // IV01: the cycle's AUTO_INVOICE (commission net of what refunds gave back, and the subscription), and the manual
    // invoice and credit it settled, each numbered as its lines say.
    const docs = await rig.drive(rig.marketplace.finance.accountingDocuments({ billingCycleId: cycle.billingCycleId }));
    const auto = docs.items.find((d) => d.type === 'AUTO_INVOICE')!;
    const fees = byKind(lines, 'commission', 'commission-reversal', 'subscription');
    const feesVat = byKind(lines, 'commission-vat', 'commission-vat-reversal', 'subscription-vat');
    expect(auto.id).toBe(String(cycle.invoiceId));
    expect(new Set([...fees, ...feesVat].map((t) => t.accountingDocumentNumber))).toEqual(new Set([auto.id]));
    expect(auto.totalExclTaxes!.toFixed(2)).toBe(sum(fees).neg().toFixed(2));
    expect(auto.totalInclTaxes!.minus(auto.totalExclTaxes!).toFixed(2)).toBe(sum(feesVat).neg().toFixed(2));
    expect(docs.items.filter((d) => d.type !== 'AUTO_INVOICE').map((d) => [d.type, d.id, d.totalExclTaxes!.toFixed(2), d.totalInclTaxes!.toFixed(2)])).toEqual([
      ['MANUAL_INVOICE', String(invoice.invoiceId), '120.00', '144.00'],
      ['MANUAL_CREDIT', String(credit.invoiceId), '4.17', '5.00'],
    ]);
    expect(byKind(lines, 'manual-invoice', 'manual-invoice-vat').map((t) => [t.kind, t.accountingDocumentNumber, t.amount!.toFixed(2)])).toEqual(
      expect.arrayContaining([
        ['manual-invoice', String(invoice.invoiceId), '-120.00'],
        ['manual-invoice-vat', String(invoice.invoiceId), '-24.00'],
      ]),
    );
    expect(byKind(lines, 'manual-credit', 'manual-credit-vat').map((t) => t.orderId)).toEqual([o3!.orderId, o3!.orderId]);
  });

  it("a dropship shop's lines are the purchase side, each with its shop model", async () => {
    const admin = rig.emulator.admin;
    admin.configure({ shopModel: 'DROPSHIP' });
    const [order] = admin.createOrders({ count: 1, skus: ['SOFA-1'] });
    await shipOrders(rig, [order!]);
    const goodwill = admin.refundFromBackOffice({
      orderId: order!.orderId,
      lines: [{ orderLineId: order!.lines[0]!.orderLineId, amount: '50.00' }],
      reasonCode: '19',
    });
    admin.completeRefunds(goodwill.refunds.map((r) => r.refundId));
    const { lines } = await readCycle(rig, admin.closeBillingCycle()!.billingCycleId);
    admin.configure({ shopModel: 'MARKETPLACE' });
    expect(lines.every((t) => t.shopModel === 'dropship')).toBe(true);
    expect(lines.filter((t) => t.kind === 'other')).toEqual([]);
    expect(new Set(lines.map((t) => t.typeCode))).toEqual(
      new Set([
        'ORDER_AMOUNT',
        'PURCHASE_ORDER_AMOUNT_TAX',
        'ORDER_SHIPPING_AMOUNT',
        'PURCHASE_ORDER_SHIPPING_AMOUNT_TAX',
        'PURCHASE_COMMISSION_FEE',
        'REFUND_ORDER_AMOUNT',
        'REFUND_PURCHASE_ORDER_AMOUNT_TAX',
        'REFUND_ORDER_SHIPPING_AMOUNT',
        'REFUND_PURCHASE_ORDER_SHIPPING_AMOUNT_TAX',
        'REFUND_PURCHASE_COMMISSION_FEE',
        'PAYMENT',
      ]),
    );
    expect(new Set(lines.map((t) => t.kind))).toEqual(
      new Set(['sale', 'purchase-vat', 'shipping', 'purchase-commission', 'refund', 'refund-shipping', 'purchase-refund', 'payment']),
    );
  });
});

describe('transaction types', () => {
  it('every type the official spec lists maps to a kind the console knows (none is "other")', () => {
    const spec = JSON.parse(readFileSync(STRICT_SPEC_PATH, 'utf8')) as {
      paths: Record<string, { get: { parameters: { name: string; schema: { items: { enum: string[] } } }[] } }>;
    };
    const listed = spec.paths['/api/sellerpayment/transactions_logs']!.get.parameters.find((p) => p.name === 'transaction_type')!.schema.items.enum;
    expect(listed).toHaveLength(51);
    expect([...TRANSACTION_TYPES].sort()).toEqual([...listed].sort());
    expect(listed.filter((type) => transactionKind(type) === 'other')).toEqual([]);
    expect(transactionKind('A_TYPE_ADDED_LATER')).toBe('other');
  });

  it('a line of every type, read over HTTP, comes in the console words with the fields the spec gives it', async () => {
    const rig = await startRig();
    try {
      rig.emulator.admin.seedOffers([{ sku: 'SOFA-1', quantity: 5 }]);
      const [order] = rig.emulator.admin.createOrders({ count: 1 });
      const planted = rig.emulator.admin.plantTransactions(
        TRANSACTION_TYPES.filter((type) => type !== 'PAYMENT').map((type, i) => ({
          type,
          amount: i % 2 ? '-1.00' : '1.00',
          orderId: order!.orderId,
          orderLineId: order!.lines[0]!.orderLineId,
          tax: type.endsWith('_TAX') || type.endsWith('_VAT') ? { code: 'GB-VAT-STD', rate: '0.2' } : undefined,
        })),
      );
      const cycle = rig.emulator.admin.closeBillingCycle()!;
      const { lines } = await readCycle(rig, cycle.billingCycleId);
      expect(lines).toHaveLength(planted.length + 1);
      expect(new Set(lines.map((t) => t.typeCode))).toEqual(new Set(TRANSACTION_TYPES));
      expect(lines.filter((t) => t.kind === 'other').map((t) => t.typeCode)).toEqual([]);
      for (const t of lines.filter((x) => x.kind !== 'payment')) {
        expect([t.orderId, t.commercialId, t.orderLineId, t.currency, t.shopModel]).toEqual([
          order!.orderId,
          order!.commercialId,
          order!.lines[0]!.orderLineId,
          'GBP',
          'marketplace',
        ]);
        // Fields the spec's example has and its schema does not: kept, not refused.
        expect(t.raw.payment_voucher_number).toBeDefined();
        expect(t.raw.shop).toMatchObject({ model: 'MARKETPLACE' });
      }
      expect(sum(paidOut(lines)).toFixed(2)).toBe(cycle.amount);
    } finally {
      await rig.emulator.stop();
    }
  });
});

describe('a big month', () => {
  let rig: Rig;
  beforeAll(async () => {
    // The emulator answers 429 above the published maxima: the connector's pacing must keep it from ever doing so.
    // Pages of 2,000 lines on a machine shared with other tests: a timeout long enough that no page is asked twice.
    rig = await startRig({ config: { rateLimits: true }, timeoutSeconds: 30 });
  });
  afterAll(async () => {
    await rig.emulator.stop();
  });

  it('50,000 lines of one cycle are read in pages of 2,000, within TL02 allowance of 20 calls a minute', async () => {
    const month = rig.emulator.admin.simulateMonth({ lines: 50_000, days: 30 });
    expect(month.lines).toBeGreaterThanOrEqual(50_000);
    expect(month.lines).toBeLessThan(50_100);
    expect(month.refundIds.length).toBeGreaterThan(0);
    const cycle = month.cycle!;
    rig.emulator.admin.clearCalls();

    const { lines, pages } = await readCycle(rig, cycle.billingCycleId);
    expect(lines).toHaveLength(cycle.lines);
    expect(pages).toEqual([...Array(Math.ceil(cycle.lines / 2000) - 1).fill(2000), cycle.lines % 2000 || 2000]);
    expect(new Set(lines.map((t) => t.id)).size).toBe(cycle.lines);
    expect(sum(paidOut(lines)).toFixed(2)).toBe(cycle.amount);
    expect(byKind(lines, 'payment')[0]!.amount!.neg().toFixed(2)).toBe(cycle.amount);
    expect(lines.filter((t) => t.kind === 'other')).toEqual([]);

    // One call a page; never more than 20 in a minute, so the marketplace never refuses one.
    const calls = rig.emulator.admin.calls().filter((c) => c.operation === 'TL02');
    expect(calls).toHaveLength(pages.length);
    expect(calls.every((c) => c.status === 200)).toBe(true);
    for (const c of calls) expect(calls.filter((x) => x.atMs > c.atMs - MINUTE && x.atMs <= c.atMs).length).toBeLessThanOrEqual(20);
    expect(calls.at(-1)!.atMs - calls[0]!.atMs).toBeGreaterThanOrEqual(MINUTE - 1_000);
    // Further pages carry only the token (Mirakl ignores anything else beside it).
    expect(calls.slice(1).every((c) => /^page_token=[^&]+&limit=2000$/.test(c.query))).toBe(true);
  });
});

describe('differences the marketplace can make', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig.emulator.stop();
  });
  beforeEach(async () => {
    // A day on: the connector's once-a-day reads of cycles and documents are due again.
    await rig.clock.advance(DAY + MINUTE);
    rig.emulator.admin.reset();
    rig.emulator.admin.seedOffers([{ sku: 'SOFA-1', quantity: 50, price: '499.00' }]);
  });

  it('a line a penny off the order (the marketplace rounding): the payout follows the line', async () => {
    const [order] = rig.emulator.admin.createOrders({ count: 1 });
    await shipOrders(rig, [order!]);
    rig.emulator.admin.adjustTransaction({ orderId: order!.orderId, type: 'ORDER_AMOUNT', by: '0.01' });
    const cycle = rig.emulator.admin.closeBillingCycle()!;
    const { lines } = await readCycle(rig, cycle.billingCycleId);
    const [asOrdered] = await rig.drive(rig.marketplace.orders.get([order!.orderId], 'TAX_EXCLUDED'));
    const sale = byKind(lines, 'sale')[0]!;
    expect(sale.amount!.minus(asOrdered!.lines[0]!.price!).toFixed(2)).toBe('0.01');
    expect(sum(paidOut(lines)).toFixed(2)).toBe(cycle.amount);
  });

  it('a cycle whose transfer does not tie out with its lines: SBC11 and the PAYMENT line show what was transferred', async () => {
    const [order] = rig.emulator.admin.createOrders({ count: 1 });
    await shipOrders(rig, [order!]);
    const cycle = rig.emulator.admin.closeBillingCycle({ transferredOffBy: '-0.50' })!;
    const { lines } = await readCycle(rig, cycle.billingCycleId);
    const [payout] = await rig.drive(rig.marketplace.finance.billingCycles());
    expect(sum(paidOut(lines)).minus(payout!.amountTransferredToSeller!).toFixed(2)).toBe('0.50');
    expect(byKind(lines, 'payment')[0]!.amount!.neg().toFixed(2)).toBe(payout!.amountTransferredToSeller!.toFixed(2));
    expect(cycle.linesTotal).toBe(sum(paidOut(lines)).toFixed(2));
  });

  it('a line dated in the next month is paid in this cycle; a payout made later is dated later', async () => {
    const [order] = rig.emulator.admin.createOrders({ count: 1 });
    await shipOrders(rig, [order!]);
    const nextMonth = new Date(rig.clock.now());
    nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1, 1);
    nextMonth.setUTCHours(0, 30, 0, 0);
    rig.emulator.admin.plantTransactions([{ type: 'SELLER_PENALTY_FEE', amount: '-15.00', orderId: order!.orderId, at: nextMonth.toISOString() }]);
    const paidAt = new Date(nextMonth.getTime() + 3 * DAY).toISOString();
    const cycle = rig.emulator.admin.closeBillingCycle({ endAt: nextMonth.toISOString(), payOut: false })!;
    expect(cycle.payOutState).toBe('TO_PAY');
    const before = await readCycle(rig, cycle.billingCycleId);
    expect(byKind(before.lines, 'payment')).toEqual([]);
    expect(before.lines.every((t) => t.paymentState === 'payable')).toBe(true);
    rig.emulator.admin.payOutBillingCycle(cycle.billingCycleId, paidAt);

    const { lines } = await readCycle(rig, cycle.billingCycleId);
    const months = lines.map((t) => [t.kind, ukMonth(t.dateCreated)]);
    const thisMonth = ukMonth(new Date(rig.clock.now()).toISOString());
    expect(months.filter(([kind]) => kind === 'sale')).toEqual([['sale', thisMonth]]);
    expect(months.filter(([kind]) => kind === 'seller-fee')).toEqual([['seller-fee', ukMonth(nextMonth.toISOString())]]);
    expect(byKind(lines, 'payment')[0]!.dateCreated).toBe(paidAt);
    const [payout] = await rig.drive(rig.marketplace.finance.billingCycles());
    expect([payout!.payOutState, payout!.payOutDate]).toEqual(['PAID', paidAt]);
  });

  it('reserve held in one payout and released in the next; a line not applicable is shown and never paid', async () => {
    const [order, direct] = rig.emulator.admin.createOrders({ count: 2 });
    await shipOrders(rig, [order!]);
    rig.emulator.admin.holdReserve('100.00');
    // An order the customer paid the shop for directly: the marketplace shows it, and does not pay it out.
    rig.emulator.admin.plantTransactions([{ type: 'ORDER_AMOUNT', amount: '415.83', orderId: direct!.orderId, paymentState: 'NOT_APPLICABLE' }]);
    const first = rig.emulator.admin.closeBillingCycle()!;
    rig.emulator.admin.releaseReserve();
    rig.emulator.admin.chargeSubscription({ net: '35.00' });
    const second = rig.emulator.admin.closeBillingCycle()!;

    const one = (await readCycle(rig, first.billingCycleId)).lines;
    const two = (await readCycle(rig, second.billingCycleId)).lines;
    expect(byKind(one, 'reserve-held').map((t) => [t.amount!.toFixed(2), t.paymentState])).toEqual([['-100.00', 'reserve']]);
    expect(byKind(two, 'reserve-released').map((t) => [t.amount!.toFixed(2), t.paymentState])).toEqual([['100.00', 'paid']]);
    expect(one.filter((t) => t.paymentState === 'not-applicable').map((t) => [t.kind, t.orderId])).toEqual([['sale', direct!.orderId]]);
    expect(sum(paidOut(one)).toFixed(2)).toBe(first.amount);
    expect(
      sum(one.filter((t) => t.kind !== 'payment'))
        .minus(first.amount)
        .toFixed(2),
    ).toBe('415.83');
    expect(second.amount).toBe('58.00');
    const payouts = await rig.drive(rig.marketplace.finance.billingCycles());
    expect(payouts.map((p) => p.amountTransferredToSeller!.toFixed(2))).toEqual([first.amount, '58.00']);
    expect(payouts[0]!.raw.summary).toMatchObject({ total_non_payable_orders_excl_tax: '415.83' });
  });
});

describe('published call limits', () => {
  it('the connector holds TL02 to 20 calls a minute and 60 an hour, IV01 and SBC11 to one listing a day', () => {
    expect(PUBLISHED_MAXIMA.TL02).toEqual([
      { limit: 20, windowMs: MINUTE },
      { limit: 60, windowMs: HOUR },
    ]);
    expect(PUBLISHED_MAXIMA.IV01).toEqual([{ limit: 1, windowMs: DAY }]);
    expect(PUBLISHED_MAXIMA.SBC11).toEqual([{ limit: 1, windowMs: DAY }]);
  });

  it('the emulator refuses a 21st TL02 call in a minute and a second IV01 or SBC11 listing in a day, but not a listing’s further pages', async () => {
    const rig = await startRig({ config: { rateLimits: true } });
    try {
      const admin = rig.emulator.admin;
      for (let i = 0; i < 3; i++) admin.manualDocument({ kind: 'invoice', net: '10.00' });
      admin.closeBillingCycle();
      admin.chargeSubscription({ net: '35.00' });
      admin.closeBillingCycle();
      const get = async (path: string) => {
        const res = await fetch(`${rig.emulator.url}${path}`, { headers: { Authorization: rig.emulator.apiKey } });
        return { status: res.status, retryAfter: Number(res.headers.get('retry-after')), body: (await res.json()) as Record<string, unknown> };
      };
      const tl02 = [];
      for (let i = 0; i < 21; i++) tl02.push(await get('/api/sellerpayment/transactions_logs?limit=1'));
      expect(tl02.slice(0, 20).every((r) => r.status === 200)).toBe(true);
      expect([tl02[20]!.status, tl02[20]!.retryAfter]).toEqual([429, expect.any(Number)]);
      expect(tl02[20]!.retryAfter).toBeLessThanOrEqual(60);

      const cycles = await get('/api/seller-billing-cycles?limit=1');
      expect(cycles.status).toBe(200);
      expect((await get(`/api/seller-billing-cycles?page_token=${String(cycles.body.next_page_token)}&limit=1`)).status).toBe(200);
      const again = await get('/api/seller-billing-cycles?limit=1');
      expect(again.status).toBe(429);
      expect(again.retryAfter).toBeGreaterThan(DAY / 1000 - 60);

      expect((await get('/api/invoices?type=ALL&max=2')).status).toBe(200);
      expect((await get('/api/invoices?type=ALL&max=2&offset=2')).status).toBe(200);
      expect((await get('/api/invoices?type=ALL&max=2&offset=0')).status).toBe(429);
    } finally {
      await rig.emulator.stop();
    }
  });

  it('cycles and documents are read once a day with every page, however often the flow asks', async () => {
    const rig = await startRig({ config: { rateLimits: true } });
    try {
      const admin = rig.emulator.admin;
      // 150 manual documents: IV01 pages of 100, so the day's listing takes two calls.
      for (let i = 0; i < 150; i++) admin.manualDocument({ kind: i % 3 ? 'invoice' : 'credit', net: '10.00' });
      const first = admin.closeBillingCycle()!;
      const calls = (op: string) => admin.calls().filter((c) => c.operation === op);
      for (let hour = 0; hour < 6; hour++) {
        // Asked to refresh: the allowance has not come round, so the day's read answers.
        const cycles = await rig.drive(rig.marketplace.finance.billingCycles({ refresh: hour % 2 === 1 }));
        expect(cycles.map((c) => c.id)).toEqual([first.billingCycleId]);
        const docs = await rig.drive(rig.marketplace.finance.accountingDocuments({ billingCycleId: first.billingCycleId, max: 100 }));
        expect([docs.items.length, docs.totalCount]).toEqual([100, 150]);
        const rest = await rig.drive(rig.marketplace.finance.accountingDocuments({ billingCycleId: first.billingCycleId, offset: 100 }));
        expect(rest.items).toHaveLength(50);
        await rig.clock.advance(HOUR);
      }
      expect(calls('SBC11')).toHaveLength(1);
      expect(calls('IV01').map((c) => new URLSearchParams(c.query).get('offset'))).toEqual(['0', '100']);

      // A cycle closed today is seen tomorrow, when the next day's read is allowed.
      admin.chargeSubscription({ net: '35.00' });
      const second = admin.closeBillingCycle()!;
      expect((await rig.drive(rig.marketplace.finance.billingCycles())).map((c) => c.id)).toEqual([first.billingCycleId]);
      await rig.clock.advance(DAY);
      expect((await rig.drive(rig.marketplace.finance.billingCycles())).map((c) => c.id)).toEqual([first.billingCycleId, second.billingCycleId]);
      const auto = await rig.drive(rig.marketplace.finance.accountingDocuments({ billingCycleId: second.billingCycleId }));
      expect(auto.items.map((d) => [d.type, d.totalExclTaxes!.toFixed(2)])).toEqual([['AUTO_INVOICE', '35.00']]);
      expect(calls('SBC11')).toHaveLength(2);
      expect(calls('IV01')).toHaveLength(4);
      expect(admin.calls().every((c) => c.status !== 429)).toBe(true);
    } finally {
      await rig.emulator.stop();
    }
  });

  it('where no allowance is kept (tests, tools), a refresh reads a cycle closed since at once', async () => {
    const rig = await startRig({ limits: {} });
    try {
      const admin = rig.emulator.admin;
      admin.chargeSubscription({ net: '35.00' });
      const first = admin.closeBillingCycle()!;
      expect((await rig.drive(rig.marketplace.finance.billingCycles())).map((c) => c.id)).toEqual([first.billingCycleId]);
      admin.chargeSubscription({ net: '35.00' });
      const second = admin.closeBillingCycle()!;
      expect((await rig.drive(rig.marketplace.finance.billingCycles())).map((c) => c.id)).toEqual([first.billingCycleId]);
      expect((await rig.drive(rig.marketplace.finance.billingCycles({ refresh: true }))).map((c) => c.id)).toEqual([
        first.billingCycleId,
        second.billingCycleId,
      ]);
      const docs = await rig.drive(rig.marketplace.finance.accountingDocuments({ billingCycleId: second.billingCycleId, refresh: true }));
      expect(docs.items.map((d) => d.type)).toEqual(['AUTO_INVOICE']);
    } finally {
      await rig.emulator.stop();
    }
  });
});
