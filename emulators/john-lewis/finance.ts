import { fail, ok, seekPage, seekRequest, type Ctx, type Reply } from './http';
import { d, money, round2 } from './money';
import type { EmuBillingCycle, EmuTransaction } from './model';
import type { EmulatorState } from './state';

/** Closes a billing cycle: every payable line is paid out, a PAYMENT line clears the balance, commission is invoiced. */
export function closeBillingCycle(state: EmulatorState): EmuBillingCycle | null {
  const open = state.transactions.filter((t) => t.billingCycleId === null && t.type !== 'PAYMENT');
  if (open.length === 0) return null;
  const now = state.clock.now();
  const id = state.uuid();
  const invoiceId = state.nextId();
  const total = open.reduce((a, t) => a.plus(t.amount), d(0));
  const commission = open
    .filter((t) => /COMMISSION_FEE$/.test(t.type))
    .reduce((a, t) => a.plus(t.amount), d(0))
    .neg();
  const vat = open
    .filter((t) => /COMMISSION_VAT$/.test(t.type))
    .reduce((a, t) => a.plus(t.amount), d(0))
    .neg();
  for (const t of open) {
    t.billingCycleId = id;
    t.paymentState = 'PAID';
    t.lastUpdatedMs = now;
    if (/COMMISSION/.test(t.type)) t.accountingDocumentNumber = String(invoiceId);
  }
  state.transactions.push({
    id: state.uuid(),
    type: 'PAYMENT',
    amount: total.neg(),
    createdMs: now,
    lastUpdatedMs: now,
    paymentState: 'PAID',
    billingCycleId: id,
    accountingDocumentNumber: null,
    orderId: null,
    commercialId: null,
    orderLineId: null,
    refundId: null,
  });
  const cycle: EmuBillingCycle = {
    id,
    createdMs: now,
    amountToSeller: total,
    amountToOperator: commission.plus(vat),
    payOutReference: `PAYOUT-${invoiceId}`,
    invoiceId,
  };
  state.cycles.push(cycle);
  state.invoices.push({ invoiceId, createdMs: now, billingCycleId: id, totalExcl: round2(commission), taxes: round2(vat) });
  return cycle;
}

function txJson(state: EmulatorState, t: EmuTransaction) {
  return {
    id: t.id,
    type: t.type,
    amount: money(t.amount),
    amount_credited: money(t.amount.isPositive() ? t.amount : d(0)),
    amount_debited: money(t.amount.isNegative() ? t.amount.neg() : d(0)),
    currency_iso_code: state.config.currency,
    date_created: state.clock.iso(t.createdMs),
    last_updated: state.clock.iso(t.lastUpdatedMs),
    payment_state: t.paymentState,
    seller_billing_cycle_id: t.billingCycleId,
    accounting_document_number: t.accountingDocumentNumber,
    entities: {
      order: t.orderId ? { id: t.orderId, commercial_id: t.commercialId } : null,
      order_line: t.orderLineId ? { id: t.orderLineId } : null,
      refund: t.refundId ? { id: t.refundId } : null,
    },
    shop_model: state.config.shopModel,
  };
}

/** TL02: seek paging, limit ≤ 2000. */
export function listTransactions(ctx: Ctx): Reply {
  const { state, query } = ctx;
  const page = seekRequest(query, 2000);
  if ('status' in page) return page;
  const cycles = query.getAll('seller_billing_cycle_id');
  const orders = query.getAll('order_id');
  const from = query.get('last_updated_from');
  const all = state.transactions.filter(
    (t) =>
      page.continued ||
      ((cycles.length === 0 || (t.billingCycleId !== null && cycles.includes(t.billingCycleId))) &&
        (orders.length === 0 || (t.orderId !== null && orders.includes(t.orderId))) &&
        (!from || t.lastUpdatedMs >= Date.parse(from))),
  );
  return seekPage(all, page, (t) => txJson(state, t));
}

/** SBC11: billing cycles with their payout. */
export function listBillingCycles(ctx: Ctx): Reply {
  const { state } = ctx;
  return ok({
    data: state.cycles.map((c) => ({
      id: c.id,
      date_created: state.clock.iso(c.createdMs),
      currency_iso_code: state.config.currency,
      amount_transferred_to_seller: money(c.amountToSeller),
      amount_transferred_to_operator: money(c.amountToOperator),
      payment_voucher_number: c.payOutReference,
      pay_out: { state: 'PAID', reference: c.payOutReference, transaction_date: state.clock.iso(c.createdMs) },
    })),
  });
}

/** IV01: the commission invoice of each cycle (AUTO_INVOICE). */
export function listInvoices(ctx: Ctx): Reply {
  const { state, query } = ctx;
  const max = Number(query.get('max') ?? '10');
  const offset = Number(query.get('offset') ?? '0');
  if (!Number.isInteger(max) || max < 1 || max > 100) return fail(400, 'max must be between 1 and 100');
  const type = query.get('type') ?? 'AUTO_INVOICE';
  const cycles = query.getAll('seller_billing_cycle_id');
  const all = state.invoices.filter((i) => (type === 'ALL' || type === 'AUTO_INVOICE') && (cycles.length === 0 || cycles.includes(i.billingCycleId)));
  return ok({
    invoices: all.slice(offset, offset + max).map((i) => ({
      invoice_id: i.invoiceId,
      type: 'AUTO_INVOICE',
      state: 'COMPLETE',
      date_created: state.clock.iso(i.createdMs),
      issue_date: state.clock.iso(i.createdMs),
      currency_iso_code: state.config.currency,
      shop_id: state.config.shopId,
      shop_name: state.config.shopName,
      shop_model: state.config.shopModel,
      total_amount_excl_taxes: money(i.totalExcl),
      total_amount_incl_taxes: money(i.totalExcl.plus(i.taxes)),
      total_charged_amount: money(i.totalExcl.plus(i.taxes)),
      total_taxes: [{ amount: money(i.taxes), code: 'GB-VAT-STD' }],
      payment: { state: 'PAID', reference: `PAYOUT-${i.invoiceId}`, transaction_date: state.clock.iso(i.createdMs) },
    })),
    total_count: all.length,
  });
}
