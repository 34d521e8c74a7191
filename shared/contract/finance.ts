import { z } from 'zod';
import { pageFields } from './paging';
import { RefundRequestStateSchema, RefundStageSchema, ReturnStageSchema } from '../domain/finance';

const Actor = z.string().trim().min(1).max(80);
const OrderId = z.string().min(1).max(100);
/** Money as the marketplace and SAP state it: a decimal string, two places, no float anywhere. */
const Money = z.string().regex(/^-?\d+(\.\d+)?$/);
const Problem = z.object({ id: z.number().int(), type: z.string(), summary: z.string(), rawError: z.string().nullable() }).nullable();

/** One customer's return: the marketplace's side, and the SAP documents it became. */
export const ReturnSummarySchema = z.object({
  returnId: z.string(),
  rma: z.string().nullable(),
  orderId: z.string().nullable(),
  /** The customer's order number (NumAtCard): what customer service is quoted. */
  numAtCard: z.string().nullable(),
  /** The marketplace's state, in its own code, for the marketplace's back office. */
  marketplaceState: z.string().nullable(),
  stage: ReturnStageSchema,
  /** The marketplace still waits for the seller to accept or refuse it (a blocked one too, after a refused decision). */
  awaitingDecision: z.boolean(),
  reasonCode: z.string().nullable(),
  lines: z.array(z.object({ orderLineId: z.string(), sku: z.string().nullable(), quantity: z.number().int() })),
  salesOrderDocNum: z.number().int().nullable(),
  /** A Return the warehouse keyed in SAP for it (when goods are booked in through SAP). */
  sapReturnDocNum: z.number().int().nullable(),
  creditMemoDocNums: z.array(z.number().int()),
  problem: Problem,
  createdAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type ReturnSummary = z.infer<typeof ReturnSummarySchema>;

/** One refund on an order line (from this console, the marketplace's back office, or a return) and its Credit Memo. */
export const RefundSummarySchema = z.object({
  refundId: z.string(),
  orderId: z.string(),
  numAtCard: z.string().nullable(),
  orderLineId: z.string(),
  sku: z.string().nullable(),
  quantity: z.number().int(),
  /** In the order's tax mode (net where its prices are net). */
  amount: Money,
  shippingAmount: Money,
  /** What was refunded, VAT included: its Credit Memo's total (unless shipping is kept off SAP documents). */
  totalWithVat: Money,
  currency: z.string().nullable(),
  reasonCode: z.string().nullable(),
  /** The return it pays back, when the goods came back. */
  returnId: z.string().nullable(),
  stage: RefundStageSchema,
  creditMemoDocNum: z.number().int().nullable(),
  problem: Problem,
  createdAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type RefundSummary = z.infer<typeof RefundSummarySchema>;

/** What a refund form needs for one order: its lines, what was already refunded, and the returns on it. */
export const RefundFormSchema = z.object({
  orderId: z.string(),
  numAtCard: z.string().nullable(),
  currency: z.string().nullable(),
  /** Amounts mean gross (VAT included) or net. */
  taxMode: z.enum(['TAX_INCLUDED', 'TAX_EXCLUDED']),
  lines: z.array(
    z.object({
      orderLineId: z.string(),
      sku: z.string().nullable(),
      title: z.string().nullable(),
      quantity: z.number().int(),
      unitPrice: Money,
      price: Money,
      shippingPrice: Money,
      refundedQuantity: z.number().int(),
      refundedAmount: Money,
      refundedShipping: Money,
      /** Whether the marketplace lets this line be refunded now. */
      refundable: z.boolean(),
    }),
  ),
  /** Refunds this console sent for the order and where each stands. */
  requests: z.array(z.object({ id: z.number().int(), state: RefundRequestStateSchema, at: z.string(), actor: z.string(), error: z.string().nullable() })),
});
export type RefundForm = z.infer<typeof RefundFormSchema>;

export const RefundRequestLineSchema = z.object({
  orderLineId: z.string().min(1),
  quantity: z.number().int().min(0),
  /** Product part, in the order's tax mode. */
  amount: Money,
  shippingAmount: Money,
});

/** One invoicing batch: when it ran, what it posted, what failed. */
export const InvoiceBatchSchema = z.object({
  id: z.number().int(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  trigger: z.enum(['schedule', 'manual', 'return']),
  dryRun: z.boolean(),
  documents: z.number().int(),
  posted: z.number().int(),
  failed: z.number().int(),
  /** Σ SAP document totals (VAT included) of what it posted, or would post under dry run. */
  total: Money,
  currency: z.string().nullable(),
});
export type InvoiceBatch = z.infer<typeof InvoiceBatchSchema>;

export const InvoiceDocumentSchema = z.object({
  orderId: z.string(),
  numAtCard: z.string().nullable(),
  customer: z.string(),
  deliveryDocNums: z.array(z.number().int()),
  invoiceDocNum: z.number().int().nullable(),
  /** SAP's total, and what the marketplace will pay for the same lines and shipping. */
  total: Money.nullable(),
  marketplaceTotal: Money,
  outcome: z.enum(['posted', 'found', 'would-post', 'failed']),
  problem: Problem,
});
export type InvoiceDocument = z.infer<typeof InvoiceDocumentSchema>;

export const financeQueries = {
  'returns.list': {
    request: z
      .object({
        stage: ReturnStageSchema.optional(),
        /** A return id, RMA, order id or the customer's number. */
        search: z.string().max(200).optional(),
        ...pageFields(),
      })
      .strict(),
    response: z.object({ rows: z.array(ReturnSummarySchema), total: z.number().int().nonnegative() }),
  },
  'refunds.list': {
    request: z
      .object({
        stage: RefundStageSchema.optional(),
        search: z.string().max(200).optional(),
        ...pageFields(),
      })
      .strict(),
    response: z.object({ rows: z.array(RefundSummarySchema), total: z.number().int().nonnegative() }),
  },
  /** SAP's warehouses, to choose where returned goods go (one SAP does not count as available is the right choice). */
  'returns.warehouses': {
    request: z.object({}).strict(),
    response: z.array(z.object({ code: z.string(), name: z.string(), active: z.boolean(), nettable: z.boolean() })),
  },
  /** The marketplace's refund reasons (RE02), read once a day. */
  'refunds.reasons': { request: z.object({}).strict(), response: z.array(z.object({ code: z.string(), label: z.string() })) },
  'refunds.form': { request: z.object({ orderId: OrderId }).strict(), response: RefundFormSchema },
  'invoicing.batches': {
    request: z.object({ limit: z.number().int().min(1).max(200).default(50), offset: z.number().int().min(0).default(0) }).strict(),
    response: z.object({
      rows: z.array(InvoiceBatchSchema),
      total: z.number().int().nonnegative(),
      /** Delivered marketplace orders with no invoice yet, and when the next batch runs. */
      waiting: z.number().int().nonnegative(),
      nextRunAt: z.string().nullable(),
    }),
  },
  'invoicing.batch': {
    request: z.object({ id: z.number().int() }).strict(),
    response: z.object({ batch: InvoiceBatchSchema, documents: z.array(InvoiceDocumentSchema) }),
  },
} as const;

export const financeCommands = {
  /** The goods are back: RT25 goes at the next returns run, then the Credit Memo. */
  'returns.markReceived': {
    request: z.object({ returnIds: z.array(z.string().min(1)).min(1).max(100), actor: Actor }).strict(),
    response: z.object({ accepted: z.array(z.string()), refused: z.array(z.object({ returnId: z.string(), reason: z.string() })) }),
  },
  /** Accept or refuse a return waiting for the seller (when returns are not accepted automatically). */
  'returns.decide': {
    request: z
      .object({
        returnId: z.string().min(1),
        accepted: z.boolean(),
        rejectionReasonCode: z.enum(['RETURN_REJECTION_NOT_ELIGIBLE', 'RETURN_REJECTION_NOT_NEEDED', 'RETURN_REJECTION_WINDOW_CLOSED']).optional(),
        actor: Actor,
      })
      .strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  /** A refund from the console (OR28): sent once; an answer that never came is checked on the order before anything is sent again. */
  'refunds.issue': {
    request: z
      .object({ orderId: OrderId, lines: z.array(RefundRequestLineSchema).min(1).max(100), reasonCode: z.string().min(1).max(100), actor: Actor })
      .strict(),
    response: z.object({ requestId: z.number().int(), state: RefundRequestStateSchema, refundIds: z.array(z.string()), error: z.string().nullable() }),
  },
  'invoicing.runNow': { request: z.object({ actor: Actor }).strict(), response: z.object({ started: z.boolean() }) },
} as const;
