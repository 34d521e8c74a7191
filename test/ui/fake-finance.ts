import Decimal from 'decimal.js';
import type { InvoiceBatch, InvoiceDocument, RefundForm, RefundSummary, ReturnSummary } from '../../shared/contract/finance';
import type { RefundRequestState } from '../../shared/domain/finance';

export function makeReturn(overrides: Partial<ReturnSummary> = {}): ReturnSummary {
  return {
    returnId: '6f1c2b7e-0001',
    rma: 'RMA-1001',
    orderId: '000000301-A',
    numAtCard: '000000301',
    marketplaceState: 'IN_PROGRESS',
    stage: 'awaiting-goods',
    // As the engine says it: a return the marketplace still waits to see accepted or refused.
    awaitingDecision: overrides.stage === 'awaiting-acceptance',
    reasonCode: 'RETURN_DAMAGED',
    lines: [{ orderLineId: '000000301-A-1', sku: 'SKU000001', quantity: 1 }],
    salesOrderDocNum: 41,
    sapReturnDocNum: null,
    creditMemoDocNums: [],
    problem: null,
    createdAt: new Date(Date.now() - 86_400_000).toISOString(),
    receivedAt: null,
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

export function makeRefund(overrides: Partial<RefundSummary> = {}): RefundSummary {
  return {
    refundId: '9001',
    orderId: '000000301-A',
    numAtCard: '000000301',
    orderLineId: '000000301-A-1',
    sku: 'SKU000001',
    quantity: 1,
    amount: '19.99',
    shippingAmount: '3.95',
    totalWithVat: '23.94',
    currency: 'GBP',
    reasonCode: 'DAMAGED',
    returnId: null,
    stage: 'credited',
    creditMemoDocNum: 77,
    problem: null,
    createdAt: new Date(Date.now() - 3_600_000).toISOString(),
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** An order of three kettles at £19.99 with £3.95 shipping, one refunded before (goods only), and a mug it cannot refund now. */
export function makeRefundForm(overrides: Partial<RefundForm> = {}): RefundForm {
  return {
    orderId: '000000301-A',
    numAtCard: '000000301',
    currency: 'GBP',
    taxMode: 'TAX_INCLUDED',
    lines: [
      {
        orderLineId: '000000301-A-1',
        sku: 'SKU000001',
        title: 'Kettle',
        quantity: 3,
        unitPrice: '19.99',
        price: '59.97',
        shippingPrice: '3.95',
        refundedQuantity: 1,
        refundedAmount: '19.99',
        refundedShipping: '0.00',
        refundable: true,
      },
      {
        orderLineId: '000000301-A-2',
        sku: 'SKU000002',
        title: 'Mug',
        quantity: 1,
        unitPrice: '6.50',
        price: '6.50',
        shippingPrice: '0.00',
        refundedQuantity: 0,
        refundedAmount: '0.00',
        refundedShipping: '0.00',
        refundable: true,
      },
    ],
    requests: [],
    ...overrides,
  };
}

export const REFUND_REASONS = [
  { code: 'DAMAGED', label: 'Item damaged' },
  { code: 'LATE', label: 'Delivered late' },
  { code: 'GOODWILL', label: 'Goodwill gesture' },
];

export function makeBatch(overrides: Partial<InvoiceBatch> = {}): InvoiceBatch {
  return {
    id: 1,
    startedAt: '2026-11-25T02:00:00.000Z',
    endedAt: '2026-11-25T02:01:30.000Z',
    trigger: 'schedule',
    dryRun: false,
    documents: 3,
    posted: 2,
    failed: 1,
    total: '1234.56',
    currency: 'GBP',
    ...overrides,
  };
}

export function makeInvoiceDocument(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    orderId: '000000301-A',
    numAtCard: '000000301',
    customer: 'JLM-CUSTOMER',
    deliveryDocNums: [31],
    invoiceDocNum: 55,
    total: '43.93',
    marketplaceTotal: '43.93',
    outcome: 'posted',
    problem: null,
    ...overrides,
  };
}

/** SAP's warehouses as the returns settings list them: the main one and the shop floor count as available, the returns bay does not. */
export const SAP_WAREHOUSES = [
  { code: '01', name: 'Main warehouse', active: true, nettable: true },
  { code: 'SHOP', name: 'Shop floor', active: true, nettable: true },
  { code: 'RET', name: 'Returns bay', active: true, nettable: false },
  { code: 'QC', name: 'Quality control', active: true, nettable: false },
  { code: 'OLD', name: 'Closed site', active: false, nettable: false },
];

/** The returns and invoicing flows' screen messages, in memory: a test sets what the engine would answer. */
export class FakeFinance {
  returns: ReturnSummary[] = [];
  refunds: RefundSummary[] = [];
  reasons = REFUND_REASONS;
  warehouses = SAP_WAREHOUSES;
  forms: RefundForm[] = [];
  batches: InvoiceBatch[] = [];
  /** Batch id → its documents. */
  documents: Record<number, InvoiceDocument[]> = {};
  waiting = 0;
  nextRunAt: string | null = null;
  /** Delivered orders a Run now invoices: the batch it starts has ended with these posted by the console's next look. */
  due: InvoiceDocument[] = [];
  /** Return id → why the engine will not mark it received. */
  refuseReceipt: Record<string, string> = {};
  /**
   * Whether the returns run a "Received" starts has told John Lewis (RT25) by the console's next look, as a run over
   * an idle engine has (stage received), or not yet (receiving, the default).
   */
  receiptSentAtOnce = false;
  /** The Credit Memo the returns run a console refund starts makes (its order is invoiced already); null: the refund is due. */
  creditMemoOnRefund: number | null = null;
  /** How refunds.issue comes out: sent, or the answer was lost and the order is being checked, or refused. */
  issueState: RefundRequestState = 'sent';
  /** The engine refuses the refund outright (the words it answers with), before anything is sent. */
  issueRefusal: string | null = null;
  /** The marketplace's id for the next refund a console sends. */
  private nextRefundId = 9101;
  /** Whether invoicing.runNow starts a batch. */
  startsBatch = true;

  answer(name: string, r: Record<string, unknown>): unknown {
    switch (name) {
      case 'returns.list': {
        const term = String(r.search ?? '');
        const rows = this.returns.filter(
          (x) => (!r.stage || x.stage === r.stage) && (!term || [x.returnId, x.rma, x.orderId, x.numAtCard].some((v) => v?.includes(term))),
        );
        return this.page(rows, r);
      }
      case 'refunds.list': {
        const term = String(r.search ?? '');
        const rows = this.refunds.filter(
          (x) => (!r.stage || x.stage === r.stage) && (!term || [x.refundId, x.orderId, x.numAtCard].some((v) => v?.includes(term))),
        );
        return this.page(rows, r);
      }
      case 'refunds.reasons':
        return this.reasons;
      case 'returns.warehouses':
        return this.warehouses;
      case 'refunds.form': {
        const form = this.forms.find((f) => f.orderId === r.orderId);
        if (!form) throw new Error(`Order ${String(r.orderId)} is not in the ledger`);
        return form;
      }
      case 'invoicing.batches':
        return { ...this.page(this.batches, r), waiting: this.waiting, nextRunAt: this.nextRunAt };
      case 'invoicing.batch': {
        const batch = this.batches.find((b) => b.id === r.id);
        if (!batch) throw new Error(`No batch ${String(r.id)}`);
        return { batch, documents: this.documents[batch.id] ?? [] };
      }
      case 'returns.markReceived': {
        const ids = r.returnIds as string[];
        const refused = ids.filter((id) => this.refuseReceipt[id]).map((id) => ({ returnId: id, reason: this.refuseReceipt[id]! }));
        const accepted = ids.filter((id) => !this.refuseReceipt[id]);
        const stage = this.receiptSentAtOnce ? 'received' : 'receiving';
        this.returns = this.returns.map((x) => (accepted.includes(x.returnId) ? { ...x, stage, receivedAt: new Date().toISOString() } : x));
        return { accepted, refused };
      }
      case 'returns.decide':
        this.returns = this.returns.map((x) =>
          x.returnId === r.returnId ? { ...x, stage: r.accepted ? 'awaiting-goods' : 'refused', awaitingDecision: false } : x,
        );
        return { ok: true };
      case 'refunds.issue':
        if (this.issueRefusal) throw new Error(this.issueRefusal);
        return this.issue(r);
      case 'invoicing.runNow':
        if (this.startsBatch && this.due.length) return this.invoiceDue();
        if (this.startsBatch) {
          const id = Math.max(0, ...this.batches.map((b) => b.id)) + 1;
          this.batches = [
            {
              id,
              startedAt: new Date().toISOString(),
              endedAt: null,
              trigger: 'manual',
              dryRun: false,
              documents: 0,
              posted: 0,
              failed: 0,
              total: '0.00',
              currency: 'GBP',
            },
            ...this.batches,
          ];
        }
        return { started: this.startsBatch };
      default:
        throw new Error(`FakeFinance does not answer ${name}`);
    }
  }

  /** A Run now over what waits, once its run has ended: one batch, every order's invoice posted. */
  private invoiceDue() {
    const id = Math.max(0, ...this.batches.map((b) => b.id)) + 1;
    const at = new Date();
    const total = this.due.reduce((sum, d) => sum.plus(d.total ?? 0), new Decimal(0));
    this.batches = [
      {
        id,
        startedAt: at.toISOString(),
        endedAt: new Date(at.getTime() + 1_000).toISOString(),
        trigger: 'manual',
        dryRun: false,
        documents: this.due.length,
        posted: this.due.length,
        failed: 0,
        total: total.toFixed(2),
        currency: 'GBP',
      },
      ...this.batches,
    ];
    this.documents[id] = this.due;
    this.waiting = Math.max(0, this.waiting - this.due.length);
    this.due = [];
    return { started: true };
  }

  private page<T>(rows: T[], r: Record<string, unknown>) {
    const offset = r.offset as number;
    return { rows: rows.slice(offset, offset + (r.limit as number)), total: rows.length };
  }

  /** As the engine records a console refund: the request first, then (once John Lewis answers) the refunded figures. */
  private issue(r: Record<string, unknown>) {
    const index = this.forms.findIndex((f) => f.orderId === r.orderId);
    const form = this.forms[index]!;
    const requestId = form.requests.length + 1;
    const error = this.issueState === 'failed' ? 'Refund amount is greater than the remaining amount of the order line' : null;
    let lines = form.lines;
    let refundIds: string[] = [];
    if (this.issueState === 'sent') {
      const sent = r.lines as { orderLineId: string; quantity: number; amount: string; shippingAmount: string }[];
      refundIds = sent.map(() => String(this.nextRefundId++));
      this.refunds = [...sent.map((s, i) => this.refundOf(form, s, refundIds[i]!, r.reasonCode as string)), ...this.refunds];
      lines = form.lines.map((l) => {
        const s = sent.find((x) => x.orderLineId === l.orderLineId);
        return s
          ? {
              ...l,
              refundedQuantity: l.refundedQuantity + s.quantity,
              refundedAmount: new Decimal(l.refundedAmount).plus(s.amount).toFixed(2),
              refundedShipping: new Decimal(l.refundedShipping).plus(s.shippingAmount).toFixed(2),
            }
          : l;
      });
    }
    this.forms[index] = {
      ...form,
      lines,
      requests: [...form.requests, { id: requestId, state: this.issueState, at: new Date().toISOString(), actor: r.actor as string, error }],
    };
    return { requestId, state: this.issueState, refundIds, error };
  }

  /** A console refund of one line as the refunds list shows it: paying back a return booked in on that line, if any. */
  private refundOf(
    form: RefundForm,
    sent: { orderLineId: string; quantity: number; amount: string; shippingAmount: string },
    refundId: string,
    reasonCode: string,
  ): RefundSummary {
    const back = this.returns.find(
      (x) => x.orderId === form.orderId && ['receiving', 'received'].includes(x.stage) && x.lines.some((l) => l.orderLineId === sent.orderLineId),
    );
    const now = new Date().toISOString();
    return {
      refundId,
      orderId: form.orderId,
      numAtCard: form.numAtCard,
      orderLineId: sent.orderLineId,
      sku: form.lines.find((l) => l.orderLineId === sent.orderLineId)?.sku ?? null,
      quantity: sent.quantity,
      amount: sent.amount,
      shippingAmount: sent.shippingAmount,
      // The fake's orders are in gross prices: the refund is its own total.
      totalWithVat: new Decimal(sent.amount).plus(sent.shippingAmount).toFixed(2),
      currency: form.currency,
      reasonCode,
      returnId: back?.returnId ?? null,
      stage: this.creditMemoOnRefund === null ? 'due' : 'credited',
      creditMemoDocNum: this.creditMemoOnRefund,
      problem: null,
      createdAt: now,
      updatedAt: now,
    };
  }
}
