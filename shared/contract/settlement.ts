import { z } from 'zod';
import { pageFields } from './paging';
import { PayoutLineClassSchema, TieOutStateSchema } from '../domain/finance';

const Actor = z.string().trim().min(1).max(80);
/** Money as a decimal string, two places, signed (a credit to the seller is positive). */
const Money = z.string().regex(/^-?\d+(\.\d+)?$/);
const CycleId = z.string().min(1).max(100);
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/** A cycle's totals (or one month's part of it), as finance books them. */
export const PayoutTotalsSchema = z.object({
  /** The month (YYYY-MM) these lines belong to; null for the whole cycle. */
  month: Month.nullable(),
  sales: Money,
  shipping: Money,
  /** VAT on sales and shipping, less VAT refunded. */
  vat: Money,
  /** Goods and shipping refunded to customers, net (negative; their VAT is in `vat`). */
  refunds: Money,
  commission: Money,
  commissionVat: Money,
  subscription: Money,
  otherFees: Money,
  reserve: Money,
  /** Σ of every line but the payout: what should have been transferred. */
  netPayout: Money,
});
export type PayoutTotals = z.infer<typeof PayoutTotalsSchema>;

/** One billing cycle and its payout, as the Payouts screen lists it. */
export const PayoutSummarySchema = z.object({
  cycleId: z.string(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  currency: z.string().nullable(),
  /** The money the marketplace says it transferred (what the bank should show). */
  amountTransferred: Money.nullable(),
  payoutReference: z.string().nullable(),
  tieOut: TieOutStateSchema,
  /** Σ lines − amount transferred, when it does not tie out. */
  tieOutDifference: Money.nullable(),
  /** Lines whose SAP side differs or is missing (fees, reserve and pending not counted). */
  variances: z.number().int().nonnegative(),
  /** SAP documents of the period the cycle does not pay. */
  unpaidInSap: z.number().int().nonnegative(),
  read: z.object({ lines: z.number().int().nonnegative(), pages: z.number().int().nonnegative(), done: z.boolean() }),
  reconciledAt: z.string().nullable(),
  posted: z.object({ purchaseInvoiceDocNum: z.number().int().nullable(), paymentDocNum: z.number().int().nullable(), at: z.string() }).nullable(),
});
export type PayoutSummary = z.infer<typeof PayoutSummarySchema>;

export const PayoutLineSchema = z.object({
  lineId: z.string(),
  /** The console's word for the transaction type, and the marketplace's own code. */
  kind: z.string(),
  typeCode: z.string().nullable(),
  amount: Money,
  paymentState: z.string(),
  date: z.string().nullable(),
  /** The month it belongs to in the books (YYYY-MM). */
  month: Month.nullable(),
  orderId: z.string().nullable(),
  numAtCard: z.string().nullable(),
  refundId: z.string().nullable(),
  /** Null while a sale or refund line has not been checked against SAP yet (being read, or SAP could not be asked). */
  class: PayoutLineClassSchema.nullable(),
  sapDocument: z.object({ kind: z.enum(['invoice', 'credit-memo']), docEntry: z.number().int(), docNum: z.number().int() }).nullable(),
  /** SAP minus the marketplace, net and VAT apart, where they differ. */
  difference: z.object({ net: Money, vat: Money }).nullable(),
});
export type PayoutLine = z.infer<typeof PayoutLineSchema>;

/** An SAP document of the cycle's period that no line of the cycle pays. */
export const UnpaidDocumentSchema = z.object({
  kind: z.enum(['invoice', 'credit-memo']),
  docEntry: z.number().int(),
  docNum: z.number().int(),
  orderId: z.string().nullable(),
  numAtCard: z.string().nullable(),
  postingDate: z.string(),
  total: Money,
});
export type UnpaidDocument = z.infer<typeof UnpaidDocumentSchema>;

export const settlementQueries = {
  'payouts.list': {
    request: z
      .object({
        filter: z.enum(['all', 'not-posted', 'has-variances']).default('all'),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    response: z.object({ rows: z.array(PayoutSummarySchema), total: z.number().int().nonnegative() }),
  },
  'payouts.get': {
    request: z.object({ cycleId: CycleId }).strict(),
    response: z
      .object({ cycle: PayoutSummarySchema, totals: PayoutTotalsSchema, months: z.array(PayoutTotalsSchema), unpaidInSap: z.array(UnpaidDocumentSchema) })
      .nullable(),
  },
  'payouts.lines': {
    request: z
      .object({
        cycleId: CycleId,
        class: PayoutLineClassSchema.optional(),
        search: z.string().max(200).optional(),
        ...pageFields(),
      })
      .strict(),
    response: z.object({ rows: z.array(PayoutLineSchema), total: z.number().int().nonnegative() }),
  },
  /** A cycle, or every cycle of a month, as a file: a summary sheet and a lines sheet (CSV: the lines). */
  'payouts.export': {
    request: z
      .object({ cycleId: CycleId.optional(), month: Month.optional(), format: z.enum(['csv', 'xlsx']) })
      .strict()
      .refine((r) => (r.cycleId === undefined) !== (r.month === undefined), 'name a cycle or a month'),
    response: z.object({ fileName: z.string(), contentType: z.string(), base64: z.string() }),
  },
} as const;

export const settlementCommands = {
  /** Reads and reconciles now (one cycle again, or every cycle due). */
  'payouts.reconcile': { request: z.object({ cycleId: CycleId.optional(), actor: Actor }).strict(), response: z.object({ started: z.boolean() }) },
  /** Posts payouts into SAP (when posting is switched on): per cycle, what was posted or why not. */
  'payouts.post': {
    request: z.object({ cycleIds: z.array(CycleId).min(1).max(50), actor: Actor }).strict(),
    response: z.object({
      results: z.array(z.object({ cycleId: z.string(), outcome: z.enum(['posted', 'found', 'would-post', 'refused']), message: z.string().nullable() })),
    }),
  },
} as const;
