import Decimal from 'decimal.js';
import { createSettleMs as settleMs } from '../settle-time';
import { isSapFailure, type CopiedDocumentDraft, type SalesDocument } from '../../connectors/ports/sap';
import type { MarketplaceOrder } from '../../connectors/ports/marketplace';
import { LINE_GONE } from '../orders/states';
import { count, raiseOnOrder, resolveOnOrder, type InvoicingEnv } from './env';
import { InvoiceProblem, sapRefusal } from './exceptions';
import { marketplaceValueOf, planInvoice, type InvoicePlan, type OpenDeliveryLine } from './plan';
import type { DocumentRow, DueOrder } from './repository';

export const CREATE_OPERATION = 'create-invoice';
/** The job queue's name for invoicing one order. */
export const POST_JOB = 'post-invoice';

/** What the outbox keeps of a create: the invoice as sent, and what the marketplace pays for it (checked when it is found later). */
export type InvoiceIntent = CopiedDocumentDraft & { marketplaceTotal: string; currency: string | null };

/** How long an unanswered invoice create may still land (see settle-time.ts). */
export const createSettleMs = (env: InvoicingEnv): number => settleMs(env.ctx.settings);

/** A create whose outcome is not known yet (unanswered, or sent by an engine that died) and is still settling. */
export function youngIntent(env: InvoicingEnv, orderId: string): boolean {
  return env.ctx.ledger.intents.settling('sap-b1', CREATE_OPERATION, orderId, env.now(), createSettleMs(env)) !== undefined;
}

/** The keys of Delivery Note lines, `docEntry:lineNum`. */
const lineKey = (docEntry: number, lineNum: number) => `${docEntry}:${lineNum}`;

/** The Delivery Notes an invoice copies lines of. */
export function deliveriesCopied(invoice: SalesDocument): number[] {
  return [...new Set(invoice.lines.filter((l) => l.base?.kind === 'delivery-note').map((l) => l.base!.docEntry))];
}

/** Whether an invoice copies any of these Delivery Note lines (or, with `deliveries`, any line of these Delivery Notes). */
export function copies(invoice: SalesDocument, match: { lines?: ReadonlySet<string>; deliveries?: ReadonlySet<number> }): boolean {
  return (
    !invoice.cancelled &&
    invoice.lines.some(
      (l) =>
        l.base?.kind === 'delivery-note' &&
        ((match.lines?.has(lineKey(l.base.docEntry, l.base.lineNum)) ?? false) || (match.deliveries?.has(l.base.docEntry) ?? false)),
    )
  );
}

/** How SAP is asked for the order's invoices: its marketplace id, else the customer's number on the marketplace's customer. */
export function invoiceQuery(env: InvoicingEnv, orderId: string) {
  return { marketplaceOrderId: orderId, customerReference: env.postedOrders.get(orderId)?.numAtCard ?? null, customer: env.orders.cardCode };
}

/** What the marketplace pays for the whole order (its lines not refused or cancelled, with shipping): shown until the invoiced lines are known. */
function orderValue(order: MarketplaceOrder | null, gross: boolean): Decimal {
  if (!order) return new Decimal(0);
  return order.lines
    .filter((l) => !LINE_GONE.includes(l.state))
    .reduce((a, l) => {
      const v = marketplaceValueOf(l, l.quantity ?? 0, gross);
      return a.plus(v.goods).plus(v.shipping);
    }, new Decimal(0));
}

/**
 * The invoice is in SAP: bound to the order and its total checked against the marketplace's. `copiedAllOpen`: it is
 * one the console sent, which copied everything its Delivery Notes held open, so nothing is left to invoice on them
 * (an invoice keyed in SAP may have copied only some lines: what is left open is read from the Delivery Note).
 */
export function recordInvoiced(
  env: InvoicingEnv,
  orderId: string,
  invoice: SalesDocument,
  expected: { marketplaceTotal: Decimal; currency: string | null } | null,
  how: string,
  copiedAllOpen: boolean,
): number | null {
  env.repo.bindInvoice(orderId, invoice, env.now());
  if (copiedAllOpen) {
    const deliveries = env.repo.deliveriesOf(orderId);
    for (const entry of deliveriesCopied(invoice)) if (deliveries.includes(entry)) env.repo.settleDelivery(orderId, entry, invoice.docEntry, env.now());
    env.repo.forgetRequest(orderId);
  }
  env.repo.event(
    orderId,
    'sap',
    `${how}: A/R Invoice ${invoice.docNum} (DocEntry ${invoice.docEntry}), total ${invoice.total.toFixed(2)}${invoice.rounding.isZero() ? '' : `, rounding ${invoice.rounding.toFixed(2)}`}`,
    env.now(),
    { docEntry: invoice.docEntry, docNum: invoice.docNum },
  );
  resolveOnOrder(env, orderId, ['invoice-total-differs']);
  return expected ? checkTotal(env, orderId, invoice, expected) : null;
}

/** What the console meant an invoice it finds in SAP to be: the outbox intent whose lines it copies (none: keyed in SAP by a person). */
export function intentOf(env: InvoicingEnv, orderId: string, invoice: SalesDocument): InvoiceIntent | null {
  for (const i of env.ctx.ledger.intents.forRecord('sap-b1', CREATE_OPERATION, orderId).reverse()) {
    const payload = i.payload as InvoiceIntent | null;
    const keys = new Set((payload?.lines ?? []).flatMap((l) => (l.base ? [lineKey(l.base.docEntry, l.base.lineNum)] : [])));
    if (payload && copies(invoice, { lines: keys })) return payload;
  }
  return null;
}

/** What the marketplace pays for an invoice found in SAP, when the console made it. */
export const expectedOf = (intent: InvoiceIntent | null) =>
  intent ? { marketplaceTotal: new Decimal(intent.marketplaceTotal), currency: intent.currency } : null;

/** SAP's DocTotal against what the marketplace pays for the same lines and shipping: a difference is an exception with both figures. */
function checkTotal(
  env: InvoicingEnv,
  orderId: string,
  invoice: SalesDocument,
  expected: { marketplaceTotal: Decimal; currency: string | null },
): number | null {
  const difference = invoice.total.minus(expected.marketplaceTotal);
  if (difference.isZero()) {
    env.ctx.resolve('invoice-total-differs', { type: 'order', key: orderId });
    return null;
  }
  const currency = expected.currency ? ` ${expected.currency}` : '';
  count(env, 'totalDiffers');
  return raiseOnOrder(
    env,
    orderId,
    'invoice-total-differs',
    `A/R Invoice ${invoice.docNum} totals ${invoice.total.toFixed(2)}${currency} in SAP; the marketplace pays ${expected.marketplaceTotal.toFixed(2)}${currency} for the same lines and shipping: a difference of ${difference.toFixed(2)}`,
    `SAP DocTotal ${invoice.total.toFixed(2)}, VAT ${invoice.vatTotal.toFixed(2)}; marketplace ${expected.marketplaceTotal.toFixed(2)}`,
  );
}

/**
 * Invoices one order exactly once. Its Delivery Notes are read first: SAP lowers a base line's open quantity as it is
 * copied, so lines still open in full prove that no invoice copies them. Where something was copied already (an
 * earlier answer lost, an invoice keyed in SAP), SAP is asked for the order's invoices and those copying its Delivery
 * Notes are bound, never made again. What is still open becomes one A/R Invoice, through the outbox; a create SAP did
 * not answer stays open until a lookup after the settle time (decision 0601). SAP's refusal, or a problem in the
 * figures, is an exception on the order for a person; anything technical is thrown for the job queue. Fills `doc`
 * (the batch's record of it) as it learns.
 */
export async function invoiceOrder(env: InvoicingEnv, due: DueOrder, doc: DocumentRow): Promise<DocumentRow | null> {
  const { orderId } = due;
  const order = env.postedOrders.marketplaceOrder(orderId);
  const gross = (order?.taxMode ?? env.orders.taxMode) !== 'TAX_EXCLUDED';
  const currency = order?.currency ?? null;
  Object.assign(doc, { currency, marketplaceTotal: orderValue(order, gross).toFixed(2) });
  let plan: InvoicePlan | null = null;
  try {
    // 1. Its Delivery Notes as SAP has them now, and the lines of this order on each (a Delivery Note may serve several).
    const notes: { note: SalesDocument; lines: SalesDocument['lines'] }[] = [];
    for (const entry of due.deliveryEntries) {
      const note = await env.sap.deliveryNotes.get(entry);
      doc.deliveryDocNums.push(note.docNum);
      doc.customer = note.customer;
      notes.push({ note, lines: note.lines.filter((l) => l.base?.kind === 'sales-order' && l.base.docEntry === due.salesOrderEntry) });
    }

    // 2. Something was copied from them already: SAP's invoices for the order that copy its Delivery Notes are bound.
    const query = invoiceQuery(env, orderId);
    const bound = new Set(env.repo.invoicesOf(orderId).map((i) => i.docEntry));
    const copied = notes.some(({ note, lines }) => note.cancelled || lines.some((l) => !l.open || !l.openQuantity.eq(l.quantity)));
    const deliveries = new Set(env.repo.deliveriesOf(orderId));
    const existing = copied ? (await env.sap.invoices.forMarketplaceOrder(query)).filter((inv) => copies(inv, { deliveries })) : [];
    let foundDoc: Partial<DocumentRow> | null = null;
    for (const inv of existing.filter((i) => !bound.has(i.docEntry))) {
      const intent = intentOf(env, orderId, inv);
      const exceptionId = recordInvoiced(
        env,
        orderId,
        inv,
        expectedOf(intent),
        intent ? 'Found in SAP (not created again)' : 'Found in SAP, keyed there (not created again; its total is not compared)',
        false,
      );
      foundDoc = {
        invoiceDocEntry: inv.docEntry,
        invoiceDocNum: inv.docNum,
        total: inv.total.toFixed(2),
        exceptionId,
        ...(intent ? { marketplaceTotal: intent.marketplaceTotal } : {}),
      };
      for (const i of env.ctx.ledger.intents.forRecord('sap-b1', CREATE_OPERATION, orderId)) {
        if (i.outcome === null) env.ctx.ledger.intents.close(i.id, 'found-existing', env.now(), { externalRef: String(inv.docEntry) });
      }
      count(env, 'found');
    }

    // 3. What is still open: a Delivery Note with nothing left (copied, closed or cancelled in SAP) is settled.
    const open: OpenDeliveryLine[] = [];
    for (const { note, lines } of notes) {
      const left = note.cancelled ? [] : lines.filter((l) => l.open && l.openQuantity.gt(0));
      if (!left.length) {
        env.repo.settleDelivery(orderId, note.docEntry, existing.find((inv) => deliveriesCopied(inv).includes(note.docEntry))?.docEntry ?? null, env.now());
        continue;
      }
      open.push(
        ...left.map((line) => ({
          delivery: { docEntry: note.docEntry, docNum: note.docNum },
          line,
          quantity: line.openQuantity.toNumber(),
          marketplaceLine: null,
        })),
      );
    }
    if (!open.length) {
      env.repo.forgetRequest(orderId);
      return foundDoc ? { ...doc, ...foundDoc, outcome: 'found' } : null;
    }

    // 4. The marketplace lines they deliver, and the invoice that makes SAP's total the marketplace's.
    if (!order) throw new InvoiceProblem('marketplace-order-unknown', `${orderId}: the marketplace order is not in the ledger`, null);
    await matchMarketplaceLines(env, due, open, order);
    plan = planInvoice({
      order,
      numAtCard: doc.numAtCard ?? order.commercialId ?? orderId,
      customer: doc.customer,
      lines: open,
      vatGroups: await env.vatGroups(),
      settings: env.orders,
    });
    doc.marketplaceTotal = plan.marketplaceTotal.toFixed(2);

    // 5. Through the outbox; an answer lost on the way is looked up (an invoice copying these lines) before anything is sent again.
    const keys = new Set(open.map((l) => lineKey(l.delivery.docEntry, l.line.lineNum)));
    const lookup = async () => (await env.sap.invoices.forMarketplaceOrder(query)).find((inv) => !bound.has(inv.docEntry) && copies(inv, { lines: keys }));
    const draft = plan.draft;
    const intent: InvoiceIntent = { ...draft, marketplaceTotal: plan.marketplaceTotal.toFixed(2), currency };
    const written = await env.ctx.write({ system: 'sap-b1', operation: CREATE_OPERATION, recordKey: orderId, payload: intent }, async () => {
      const created = await env.sap.invoices.create(draft, lookup);
      return { result: created, externalRef: String(created.document.docEntry) };
    });
    if (!written.sent) {
      count(env, 'dryRun');
      return { ...doc, outcome: 'would-post', total: plan.marketplaceTotal.toFixed(2) };
    }
    const invoice = written.result.document;
    const exceptionId = recordInvoiced(
      env,
      orderId,
      invoice,
      { marketplaceTotal: plan.marketplaceTotal, currency },
      written.result.recovered ? 'Created (answer lost, found by lookup)' : 'Created',
      true,
    );
    count(env, 'posted');
    return { ...doc, outcome: 'posted', invoiceDocEntry: invoice.docEntry, invoiceDocNum: invoice.docNum, total: invoice.total.toFixed(2), exceptionId };
  } catch (e) {
    if (isSapFailure(e) && e.outcomeUnknown && plan) {
      // SAP may still be working on it: the intent stays open, and nothing is sent until a later lookup settles it.
      const at = new Date(env.now().getTime() + createSettleMs(env));
      env.repo.event(
        orderId,
        'sap',
        `SAP did not answer the A/R Invoice create (${e.sapMessage ?? e.message}); it is looked up again after ${at.toISOString()} and sent again only if it never landed`,
        env.now(),
      );
      const exceptionId = raiseOnOrder(
        env,
        orderId,
        'create-outcome-unknown',
        `${orderId}: SAP did not answer the A/R Invoice create; nothing is sent again before a lookup after ${at.toISOString()}`,
        e.sapMessage ?? e.message,
      );
      count(env, 'outcomeUnknown');
      return { ...doc, outcome: 'failed', exceptionId, error: e.sapMessage ?? e.message, awaitingLookup: true };
    }
    const problem = e instanceof InvoiceProblem ? e : sapRefusal(e, orderId);
    // Technical: SAP down, a timeout after retries. The job queue counts it and tries again after a backoff.
    if (!problem) throw e;
    const exceptionId = raiseOnOrder(env, orderId, problem.type, problem.summary, problem.rawError);
    count(env, 'blocked');
    return { ...doc, outcome: 'failed', exceptionId, error: problem.rawError ?? problem.summary };
  }
}

/**
 * Which marketplace line each open Delivery Note line delivers: the line id SAP copied onto the Delivery Note, else
 * the id on the Sales Order line it was copied from (the Sales Order is read only then).
 */
async function matchMarketplaceLines(env: InvoicingEnv, due: DueOrder, open: OpenDeliveryLine[], order: MarketplaceOrder): Promise<void> {
  const byId = new Map(order.lines.map((l) => [l.orderLineId, l]));
  let salesOrder: SalesDocument | null = null;
  for (const l of open) {
    let id = l.line.marketplaceLineId;
    if (!id) {
      salesOrder ??= await env.sap.salesOrders.get(due.salesOrderEntry);
      id = salesOrder.lines.find((s) => s.lineNum === l.line.base?.lineNum)?.marketplaceLineId ?? null;
    }
    l.marketplaceLine = id ? (byId.get(id) ?? null) : null;
  }
}
