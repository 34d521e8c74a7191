import Decimal from 'decimal.js';
import { isSapFailure, type CopiedDocumentDraft, type CopiedLine, type SalesDocument, type SalesDocumentLine } from '../../connectors/ports/sap';
import { orderRef, refundRef } from '../../ledger/bindings';
import { sapLineTotals } from '../orders/draft';
import { createSettleMs } from '../settle-time';
import { count, event, raise, retryKey, type ReturnsEnv } from './env';
import { ReturnsProblem } from './exceptions';
import type { RefundRow } from './repository';
import { returnedUnitsFor, waitsForGoods } from './received';

export const CREDIT_OPERATION = 'create-credit-memo';
/** The job queue's name for crediting one refund in SAP. */
export const CREDIT_JOB = 'credit-refund';

const ZERO = new Decimal(0);
const round2 = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const sumTaxes = (list: { amount: string | null }[]) => list.reduce((a, t) => a.plus(t.amount ?? 0), ZERO);
const describe = (e: unknown) => (isSapFailure(e) ? (e.sapMessage ?? e.message) : e instanceof Error ? e.message : String(e));

/** What the marketplace refunded, VAT included: the Credit Memo's total must be exactly this. */
export function refundGross(r: RefundRow, shippingInSap: boolean): { goods: Decimal; shipping: Decimal; total: Decimal } {
  const gross = r.taxMode !== 'TAX_EXCLUDED';
  const goods = gross ? r.amount : r.amount.plus(sumTaxes(r.taxes));
  const shipping = !shippingInSap ? ZERO : gross ? r.shippingAmount : r.shippingAmount.plus(sumTaxes(r.shippingTaxes));
  return { goods, shipping, total: goods.plus(shipping) };
}

/** How long an unanswered Credit Memo create may still land (see settle-time.ts). */
export const creditSettleMs = (env: ReturnsEnv): number => createSettleMs(env.ctx.settings);

function settling(env: ReturnsEnv, refundId: string): boolean {
  return env.ctx.ledger.intents.settling('sap-b1', CREDIT_OPERATION, refundId, env.now(), creditSettleMs(env)) !== undefined;
}

/** The SAP documents of one order, read once per run: its invoices, their Delivery Notes and Sales Orders. */
export class OrderDocuments {
  private docs = new Map<string, Promise<SalesDocument>>();
  constructor(private readonly env: ReturnsEnv) {}

  private read(kind: 'invoice' | 'delivery' | 'order', docEntry: number): Promise<SalesDocument> {
    const key = `${kind}:${docEntry}`;
    let found = this.docs.get(key);
    if (!found) {
      const { sap } = this.env;
      found = kind === 'invoice' ? sap.invoices.get(docEntry) : kind === 'delivery' ? sap.deliveryNotes.get(docEntry) : sap.salesOrders.get(docEntry);
      found.catch(() => this.docs.delete(key));
      this.docs.set(key, found);
    }
    return found;
  }

  /**
   * Every invoice line of the order for one marketplace order line, with the Delivery Note line it copied (its batches
   * and serials): invoice line → Delivery Note line → Sales Order line, whose marketplace line id is the key.
   */
  async invoiceLinesFor(
    invoiceEntries: number[],
    orderLineId: string,
  ): Promise<{ invoice: SalesDocument; line: SalesDocumentLine; delivered: SalesDocumentLine }[]> {
    const out: { invoice: SalesDocument; line: SalesDocumentLine; delivered: SalesDocumentLine }[] = [];
    for (const entry of invoiceEntries) {
      const invoice = await this.read('invoice', entry);
      if (invoice.cancelled) continue;
      for (const line of invoice.lines) {
        if (line.base?.kind !== 'delivery-note') continue;
        const delivery = await this.read('delivery', line.base.docEntry);
        const delivered = delivery.lines.find((l) => l.lineNum === line.base!.lineNum);
        if (!delivered) continue;
        let lineId = delivered.marketplaceLineId ?? line.marketplaceLineId;
        if (!lineId && delivered.base?.kind === 'sales-order') {
          const order = await this.read('order', delivered.base.docEntry);
          lineId = order.lines.find((l) => l.lineNum === delivered.base!.lineNum)?.marketplaceLineId ?? null;
        }
        if (lineId === orderLineId) out.push({ invoice, line, delivered });
      }
    }
    return out;
  }
}

/** Batches and serials of a delivered line not yet taken back by an earlier Credit Memo of the order. */
function stillOut(delivered: SalesDocumentLine, earlier: SalesDocument[], invoiceLine: SalesDocumentLine, invoiceEntry: number) {
  const back = earlier.flatMap((d) =>
    d.lines.filter((l) => !l.withoutStock && l.base?.kind === 'invoice' && l.base.docEntry === invoiceEntry && l.base.lineNum === invoiceLine.lineNum),
  );
  const serialsBack = new Set(back.flatMap((l) => l.serials));
  const batchesBack = new Map<string, number>();
  for (const l of back) for (const b of l.batches) batchesBack.set(b.batch, (batchesBack.get(b.batch) ?? 0) + b.quantity);
  return {
    serials: delivered.serials.filter((s) => !serialsBack.has(s)),
    batches: delivered.batches.map((b) => ({ batch: b.batch, quantity: b.quantity - (batchesBack.get(b.batch) ?? 0) })).filter((b) => b.quantity > 0),
  };
}

function takeBatches(available: { batch: string; quantity: number }[], quantity: number) {
  const out: { batch: string; quantity: number }[] = [];
  let left = quantity;
  for (const b of available) {
    if (left <= 0) break;
    const q = Math.min(b.quantity, left);
    out.push({ batch: b.batch, quantity: q });
    left -= q;
  }
  return left > 0 ? null : out;
}

export interface CreditPlan {
  draft: CopiedDocumentDraft;
  expected: { goods: Decimal; shipping: Decimal; total: Decimal };
  /** Units of a return this refund takes back, and which return. */
  goods: { returnId: string; quantity: number } | null;
}

/** The Credit Memo for one refund, copied from the order's invoice lines; a problem becomes a ReturnsProblem for a person. */
export async function planCredit(
  env: ReturnsEnv,
  refund: RefundRow,
  invoiceEntries: number[],
  earlier: SalesDocument[],
  docs: OrderDocuments,
): Promise<CreditPlan> {
  const { orders: ordersSettings } = env;
  const posted = env.postedOrders.get(refund.orderId)!;
  const gross = refund.taxMode !== 'TAX_EXCLUDED';
  const candidates = await docs.invoiceLinesFor(invoiceEntries, refund.orderLineId);
  if (!candidates.length)
    throw new ReturnsProblem(
      'line-not-delivered',
      `${refund.orderId}: line ${refund.orderLineId} (${refund.sku ?? 'no SKU'}) is on no invoiced Delivery Note in SAP`,
    );
  const rates = new Map((await env.sap.company.outputVatGroups()).map((g) => [g.code, g.rate]));
  const first = candidates[0]!;
  const invoicedUnits = candidates.reduce((a, c) => a + c.line.quantity.toNumber(), 0);
  const invoicedGross = candidates.reduce((a, c) => a.plus(c.line.lineTotal).plus(c.line.vatTotal), ZERO);
  const shippingInSap = ordersSettings.shipping.as !== 'none';
  const expected = refundGross(refund, shippingInSap);

  // Refunded on this line so far (this refund included), against what SAP invoiced for it.
  const others = env.repo.refundsOfOrder(refund.orderId).filter((r) => r.orderLineId === refund.orderLineId && r.refundId !== refund.refundId);
  const refundedGoods = others.reduce((a, r) => a.plus(refundGross(r, shippingInSap).goods), expected.goods);
  if (refundedGoods.gt(invoicedGross.plus(0.005)))
    throw new ReturnsProblem(
      'refund-exceeds-invoice',
      `${refund.orderId}: line ${refund.orderLineId} has been refunded ${refundedGoods.toFixed(2)} (this refund ${expected.goods.toFixed(2)}); SAP invoiced ${invoicedGross.toFixed(2)} for it`,
      `invoiced ${invoicedUnits} unit(s), ${invoicedGross.toFixed(2)} VAT included`,
    );

  const units = Math.min(Math.max(refund.quantity, 1), invoicedUnits);
  // The goods: units of a received return on this line not yet taken back by another refund.
  const returned = refund.quantity > 0 ? returnedUnitsFor(env, refund) : null;
  const goodsUnits = returned ? Math.min(units, returned.quantity) : 0;
  const goodsMove = goodsUnits > 0 && env.settings.receivedBy === 'console';
  if (goodsMove && !env.settings.warehouse)
    throw new ReturnsProblem(
      'returns-warehouse-missing',
      `${refund.orderId}: ${goodsUnits} returned unit(s) of ${refund.sku ?? refund.orderLineId} need a returns warehouse in SAP, and none is set`,
    );

  // The unit value: the invoice line's own when the refund is its full value for these units, else the refund's.
  const rate =
    rates.get(first.line.vatGroup ?? '') ??
    (first.line.lineTotal.isZero() ? ZERO : first.line.vatTotal.div(first.line.lineTotal).times(100).toDecimalPlaces(2));
  const baseUnitGross = round2(first.line.lineTotal.plus(first.line.vatTotal).div(first.line.quantity));
  const fullValue = round2(gross ? baseUnitGross.times(units) : first.line.unitPrice.times(units)).equals(round2(refund.amount));
  const unitPrice = fullValue ? undefined : refund.amount.div(units);

  let predicted = ZERO;
  const lines: CopiedLine[] = [];
  let left = units;
  let goodsLeft = goodsMove ? goodsUnits : 0;
  for (const c of candidates) {
    if (left <= 0) break;
    const take = Math.min(left, c.line.quantity.toNumber());
    const withGoods = Math.min(goodsLeft, take);
    const parts: [number, boolean][] = [
      [withGoods, true],
      [take - withGoods, false],
    ];
    for (const [q, moves] of parts) {
      if (q <= 0) continue;
      const base = { kind: 'invoice' as const, docEntry: c.invoice.docEntry, lineNum: c.line.lineNum };
      // A line of its own, naming item, VAT group and price: for part of a line's value, money only (so the invoice
      // line's units stay there to be credited later), and for an invoice SAP has closed (paid by a posted payout:
      // SAP copies from open documents only).
      const closed = c.invoice.status === 'closed' || !c.line.open;
      const ownPrice = unitPrice ?? (gross ? round2(c.line.lineTotal.plus(c.line.vatTotal).div(c.line.quantity)) : c.line.unitPrice);
      const line: CopiedLine =
        (unitPrice && !moves) || closed
          ? { base: null, item: { itemCode: c.line.itemCode, vatGroup: c.line.vatGroup ?? '', warehouse: c.line.warehouse }, quantity: q, unitPrice: ownPrice }
          : { base, quantity: q, ...(unitPrice ? { unitPrice } : {}) };
      if (moves) {
        line.warehouse = env.settings.warehouse!;
        if (line.item) line.item.warehouse = env.settings.warehouse!;
        const out = stillOut(c.delivered, earlier, c.line, c.invoice.docEntry);
        const item = await env.sap.items.get(c.line.itemCode);
        if (item.serialManaged) {
          if (out.serials.length < q)
            throw new ReturnsProblem(
              'batch-serial-not-on-delivery',
              `${refund.orderId}: ${q} unit(s) of serial-managed ${c.line.itemCode} come back, but the Delivery Note names ${out.serials.length} serial(s) still out`,
            );
          line.serials = out.serials.slice(0, q);
        } else if (item.batchManaged) {
          const batches = takeBatches(out.batches, q);
          if (!batches)
            throw new ReturnsProblem(
              'batch-serial-not-on-delivery',
              `${refund.orderId}: ${q} unit(s) of batch-managed ${c.line.itemCode} come back, but the Delivery Note's batches do not cover them`,
            );
          line.batches = batches;
        }
      } else line.withoutStock = true;
      lines.push(line);
      const t = line.unitPrice
        ? sapLineTotals(line.unitPrice, q, rate, gross, env.priceDecimals)
        : sapLineTotals(c.line.unitPrice, q, rate, false, env.priceDecimals);
      predicted = predicted.plus(t.net).plus(t.vat);
    }
    left -= take;
    goodsLeft -= withGoods;
  }

  let freight: CopiedDocumentDraft['freight'];
  if (shippingInSap && refund.shippingAmount.gt(0)) {
    if (ordersSettings.shipping.as === 'freight') {
      freight = { expenseCode: ordersSettings.shipping.expenseCode, amount: refund.shippingAmount, vatGroup: first.line.vatGroup ?? '' };
      predicted = predicted.plus(
        gross ? round2(refund.shippingAmount) : round2(refund.shippingAmount).plus(round2(refund.shippingAmount.times(rate).div(100))),
      );
    } else if (ordersSettings.shipping.as === 'service-item') {
      const itemCode = ordersSettings.shipping.itemCode;
      const service = (await Promise.all(invoiceEntries.map((e) => env.sap.invoices.get(e)))).flatMap((d) =>
        d.lines.filter((l) => l.itemCode === itemCode).map((l) => ({ doc: d, line: l })),
      )[0];
      if (!service)
        throw new ReturnsProblem(
          'line-not-delivered',
          `${refund.orderId}: shipping is refunded but no invoice of the order carries the shipping item ${itemCode}`,
        );
      lines.push({
        base: { kind: 'invoice', docEntry: service.doc.docEntry, lineNum: service.line.lineNum },
        quantity: 1,
        unitPrice: refund.shippingAmount,
        withoutStock: true,
      });
      const t = sapLineTotals(refund.shippingAmount, 1, rates.get(service.line.vatGroup ?? '') ?? rate, gross, env.priceDecimals);
      predicted = predicted.plus(t.net).plus(t.vat);
    }
  }

  const rounding = expected.total.minus(predicted);
  const useRounding = !rounding.isZero() && rounding.abs().lte(ordersSettings.maxRounding);
  const draft: CopiedDocumentDraft = {
    customer: ordersSettings.cardCode,
    customerReference: posted.numAtCard ?? refund.orderId,
    marketplaceOrderId: refund.orderId,
    marketplaceRefundId: refund.refundId,
    ...(returned && goodsUnits > 0 ? { marketplaceReturnId: returned.returnId } : {}),
    remarks: `John Lewis Marketplace refund ${refund.refundId} on order ${refund.orderId}${returned && goodsUnits > 0 ? `, return ${returned.rma ?? returned.returnId}` : ''}`,
    pricesIncludeVat: gross,
    lines,
    ...(freight ? { freight } : {}),
    ...(useRounding ? { rounding } : {}),
  };
  return { draft, expected, goods: returned && goodsUnits > 0 ? { returnId: returned.returnId, quantity: goodsUnits } : null };
}

function checkTotal(env: ReturnsEnv, refund: RefundRow, doc: SalesDocument, expected: Decimal): void {
  const difference = doc.total.minus(expected);
  if (difference.isZero()) {
    env.ctx.resolve('credit-total-differs', refundRef(refund.refundId));
    return;
  }
  const currency = refund.currency ?? '';
  raise(
    env,
    refundRef(refund.refundId),
    refund.orderId,
    'credit-total-differs',
    `Credit Memo ${doc.docNum} totals ${doc.total.toFixed(2)} ${currency} in SAP; the marketplace refunded ${expected.toFixed(2)} ${currency} (refund ${refund.refundId}): a difference of ${difference.toFixed(2)}`.replace(
      / {2,}/g,
      ' ',
    ),
    `SAP total ${doc.total.toFixed(2)}, VAT ${doc.vatTotal.toFixed(2)}; marketplace ${expected.toFixed(2)}`,
  );
  count(env, 'totalDiffers');
}

function recordCredited(env: ReturnsEnv, refund: RefundRow, doc: SalesDocument, how: string, expected: Decimal | null): void {
  const at = env.now();
  env.repo.transaction(() => {
    env.repo.credited(refund.refundId, doc, at);
    env.ctx.ledger.bindings.bind(
      orderRef(refund.orderId),
      { system: 'sap-b1', entity: 'credit-memo', id: String(doc.docEntry), label: String(doc.docNum) },
      at,
    );
  });
  event(env, refund.orderId, 'sap', `${how}: Credit Memo ${doc.docNum} for refund ${refund.refundId} (${doc.total.toFixed(2)})`, {
    docEntry: doc.docEntry,
    refundId: refund.refundId,
  });
  for (const type of [
    'order-not-posted',
    'line-not-delivered',
    'batch-serial-not-on-delivery',
    'returns-warehouse-missing',
    'credit-memo-refused',
    'refund-exceeds-invoice',
  ])
    env.ctx.resolve(type, refundRef(refund.refundId));
  if (expected) checkTotal(env, refund, doc, expected);
  if (refund.returnId) env.repo.settleReturnIfCredited(refund.returnId, at);
}

/** Finds the Credit Memo SAP already holds for a refund (made by an earlier run, a lost answer, or another console). */
export async function findCreditMemo(env: ReturnsEnv, refund: RefundRow): Promise<{ found: SalesDocument | undefined; all: SalesDocument[] }> {
  const posted = env.postedOrders.get(refund.orderId);
  const all = await env.sap.creditMemos.forMarketplaceOrder({
    marketplaceOrderId: refund.orderId,
    customerReference: posted?.numAtCard ?? null,
    customer: env.orders.cardCode,
  });
  return { found: all.find((d) => d.marketplaceRefundId === refund.refundId && !d.cancelled), all };
}

/**
 * Credits one refund in SAP exactly once: SAP is looked up first; the order must be invoiced (if not, the invoicing
 * flow is asked to invoice it now and the refund waits); then the intent is recorded and the Credit Memo created.
 * A create SAP did not answer is left open and looked up again only after the settle time.
 */
export async function creditRefund(env: ReturnsEnv, refund: RefundRow, docs: OrderDocuments): Promise<void> {
  const record = refundRef(refund.refundId);
  try {
    if (!env.postedOrders.get(refund.orderId))
      throw new ReturnsProblem('order-not-posted', `${refund.orderId}: refund ${refund.refundId} is for an order that never became a Sales Order in SAP`);
    const invoices = env.invoiced.invoicesOf(refund.orderId);
    if (!invoices.length) {
      if (refund.stage !== 'waiting-invoice') {
        env.invoiced.requestNow(refund.orderId, `refund ${refund.refundId} waits for the order's invoice`);
        env.repo.setRefundStage(refund.refundId, 'waiting-invoice', env.now());
        event(env, refund.orderId, 'engine', `Refund ${refund.refundId} waits for the order's A/R Invoice; invoicing was asked to invoice it now`);
      }
      env.wantsInvoicing = true;
      count(env, 'waitingInvoice');
      return;
    }
    const coming = waitsForGoods(env, refund);
    if (coming) {
      count(env, 'waitingGoods');
      return;
    }
    const { found, all } = await findCreditMemo(env, refund);
    if (found) {
      recordCredited(env, refund, found, 'Found in SAP', refundGross(refund, env.orders.shipping.as !== 'none').total);
      for (const i of env.ctx.ledger.intents.forRecord('sap-b1', CREDIT_OPERATION, refund.refundId))
        if (i.outcome === null) env.ctx.ledger.intents.close(i.id, 'found-existing', env.now(), { externalRef: String(found.docEntry) });
      count(env, 'recovered');
      return;
    }
    const plan = await planCredit(
      env,
      refund,
      invoices.map((i) => i.docEntry),
      all,
      docs,
    );
    env.repo.linkReturn(refund.refundId, plan.goods?.returnId ?? null, plan.goods?.quantity ?? 0);
    const written = await env.ctx.write({ system: 'sap-b1', operation: CREDIT_OPERATION, recordKey: refund.refundId, payload: plan.draft }, async () => {
      const created = await env.sap.creditMemos.create(plan.draft, async () => (await findCreditMemo(env, refund)).found);
      return { result: created, externalRef: String(created.document.docEntry) };
    });
    if (!written.sent) {
      count(env, 'dryRun');
      return;
    }
    recordCredited(
      env,
      { ...refund, returnId: plan.goods?.returnId ?? null },
      written.result.document,
      written.result.recovered ? 'Created (answer lost, found by lookup)' : 'Created',
      plan.expected.total,
    );
    count(env, 'credited');
  } catch (e) {
    if (isSapFailure(e) && e.outcomeUnknown) {
      const at = new Date(env.now().getTime() + creditSettleMs(env));
      event(
        env,
        refund.orderId,
        'sap',
        `SAP did not answer the Credit Memo create for refund ${refund.refundId} (${describe(e)}); it is looked up again after ${at.toISOString()} and sent again only if it never landed`,
      );
      count(env, 'outcomeUnknown');
      return;
    }
    const problem =
      e instanceof ReturnsProblem
        ? e
        : isSapFailure(e) && !e.unreachable && (e.kind === 'business' || e.kind === 'batch-selection' || e.kind === 'not-found')
          ? new ReturnsProblem(
              'credit-memo-refused',
              `${refund.orderId}: SAP refused the Credit Memo for refund ${refund.refundId}: ${describe(e)}`,
              describe(e),
            )
          : null;
    if (!problem) throw e;
    env.repo.setRefundStage(refund.refundId, 'blocked', env.now());
    raise(env, record, refund.orderId, problem.type, problem.summary, problem.rawError);
    count(env, 'blocked');
  }
}

/** The refunds to credit now: due, waiting for an invoice that may have come, or blocked and retried by a person. */
export function dueForCredit(env: ReturnsEnv): RefundRow[] {
  return [
    ...env.repo.refundsInStages(['due', 'waiting-invoice']),
    ...env.repo.refundsInStages(['blocked']).filter((r) => env.retrying.has(retryKey(refundRef(r.refundId)))),
  ].filter((r) => !settling(env, r.refundId));
}

/** Credits the due refunds, each through the job queue. */
export async function creditDue(env: ReturnsEnv): Promise<string[]> {
  const failures: string[] = [];
  const docs = new OrderDocuments(env);
  for (const refund of dueForCredit(env)) {
    const attempt = await env.ctx.attempt(
      { kind: CREDIT_JOB, record: refundRef(refund.refundId), what: `credit refund ${refund.refundId} of ${refund.orderId} in SAP` },
      () => creditRefund(env, refund, docs),
    );
    if (!attempt.ran) count(env, attempt.why === 'backing-off' ? 'backingOff' : attempt.why === 'gave-up' ? 'gaveUp' : 'notTried');
    else if (!attempt.ok) failures.push(`${refund.refundId}: ${describe(attempt.error)}`);
  }
  return failures;
}

/**
 * The outbox: a Credit Memo create without an outcome is settled by looking it up by its refund id once the settle
 * time has passed. Found: credited. Not found: it never landed and the refund is due again.
 */
export async function recoverCredits(env: ReturnsEnv): Promise<void> {
  for (const intent of env.ctx.ledger.intents.pending('returns')) {
    if (intent.system !== 'sap-b1' || intent.operation !== CREDIT_OPERATION) continue;
    if (settling(env, intent.recordKey)) continue;
    const refund = env.repo.getRefund(intent.recordKey);
    if (!refund) continue;
    try {
      const { found } = await findCreditMemo(env, refund);
      if (found) {
        recordCredited(env, refund, found, 'Found in SAP after the create went unanswered', refundGross(refund, env.orders.shipping.as !== 'none').total);
        env.ctx.ledger.intents.close(intent.id, 'found-existing', env.now(), { externalRef: String(found.docEntry) });
        count(env, 'recovered');
      } else {
        env.ctx.ledger.intents.close(intent.id, 'failed', env.now(), {
          error: 'Not in SAP after the settle time: the create never landed; it will be sent again',
        });
        event(env, refund.orderId, 'engine', `A Credit Memo create for refund ${refund.refundId} that SAP never answered did not land; it will be sent again`);
        count(env, 'neverLanded');
      }
    } catch (e) {
      env.ctx.logger.warn('Looking up an unanswered Credit Memo create failed; tried again next run', { refundId: refund.refundId, error: describe(e) });
      count(env, 'lookupFailed');
    }
  }
}
