import { z } from 'zod';
import { patchSchemaOf } from './settings-patch';

/**
 * Settings of the returns flow: whether returns are accepted without a person, how the warehouse says the goods are
 * back, and where returned goods go in SAP.
 */
export const ReturnsSettingsSchema = z.object({
  /** Accept every return waiting for the seller (RT21); off: a person accepts or refuses each in the Returns screen. */
  autoAccept: z.boolean().default(true),
  /**
   * How the goods are booked in: a person presses "Received" in the Returns screen, or the warehouse keys a Return in
   * SAP for the order (found by the order's marketplace id or the customer's number).
   */
  receivedBy: z.enum(['console', 'sap-return']).default('console'),
  /**
   * The SAP warehouse returned goods go into: one SAP does not count as available (not nettable), so nothing is sold
   * again before it is inspected. Required before the flow posts a Credit Memo that takes goods back.
   */
  warehouse: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,8}$/)
    .nullable()
    .default(null),
  /** Returns changed before this are not read on the first run (ISO date-time); null: the last 30 days. */
  readFrom: z.string().nullable().default(null),
});
export type ReturnsSettings = z.infer<typeof ReturnsSettingsSchema>;
export const DEFAULT_RETURNS_SETTINGS: ReturnsSettings = ReturnsSettingsSchema.parse({});
export const ReturnsSettingsPatchSchema = patchSchemaOf(ReturnsSettingsSchema);

/** Settings of the invoicing flow: when the daily batch runs and how many invoices a batch holds. */
export const InvoicingSettingsSchema = z.object({
  /** The time of day (the office's local time, HH:MM) the batch runs; "run now" in the console runs it at once. */
  runAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .default('02:00'),
  /** Invoices per batch: SAP posts them one after another, then the batch is recorded before the next starts. */
  batchSize: z.number().int().min(1).max(500).default(50),
});
export type InvoicingSettings = z.infer<typeof InvoicingSettingsSchema>;
export const DEFAULT_INVOICING_SETTINGS: InvoicingSettings = InvoicingSettingsSchema.parse({});
export const InvoicingSettingsPatchSchema = patchSchemaOf(InvoicingSettingsSchema);

/**
 * Where a customer's return is in the console: waiting for the seller's decision, accepted and on its way back,
 * received (goods booked in; RT25 sent), credited (the Credit Memo is in SAP), refused, closed on the marketplace
 * without reaching us, or blocked on an exception.
 */
export const RETURN_STAGES = ['awaiting-acceptance', 'awaiting-goods', 'receiving', 'received', 'credited', 'refused', 'closed', 'blocked'] as const;
export const ReturnStageSchema = z.enum(RETURN_STAGES);
export type ReturnStage = z.infer<typeof ReturnStageSchema>;

/**
 * Where a refund is: waiting for the order's invoice, due for its Credit Memo, credited in SAP, or blocked on an
 * exception.
 */
export const REFUND_STAGES = ['waiting-invoice', 'due', 'credited', 'blocked'] as const;
export const RefundStageSchema = z.enum(REFUND_STAGES);
export type RefundStage = z.infer<typeof RefundStageSchema>;

/** A refund a person asked for from the console (OR28): being sent, sent, or sent without an answer and being checked. */
export const REFUND_REQUEST_STATES = ['sending', 'sent', 'checking', 'failed'] as const;
export const RefundRequestStateSchema = z.enum(REFUND_REQUEST_STATES);
export type RefundRequestState = z.infer<typeof RefundRequestStateSchema>;

/**
 * Settings of the settlement flow (payout reconciliation): where the first read starts, and, when finance switches it
 * on, how a payout is posted into SAP (the marketplace as a supplier for its commission and fees, the payout as one
 * Incoming Payment).
 */
export const SettlementSettingsSchema = z.object({
  /** Billing cycles that ended before this (ISO date) are not read; null: the last 90 days. */
  readFrom: z.string().nullable().default(null),
  posting: z
    .object({
      enabled: z.boolean().default(false),
      /** The marketplace as a supplier in SAP (its commission invoices are A/P Invoices from it). */
      supplierCode: z.string().max(15).nullable().default(null),
      /** The G/L account commission and fees are booked to on the A/P Invoice. */
      feeAccount: z.string().max(15).nullable().default(null),
      /** SAP's input VAT group for the commission's VAT. */
      inputVatGroup: z.string().max(8).default('I1'),
      /** The G/L account the payout lands in: a clearing account, or the bank's. */
      bankAccount: z.string().max(15).nullable().default(null),
    })
    .default({ enabled: false, supplierCode: null, feeAccount: null, inputVatGroup: 'I1', bankAccount: null }),
});
export type SettlementSettings = z.infer<typeof SettlementSettingsSchema>;
export const DEFAULT_SETTLEMENT_SETTINGS: SettlementSettings = SettlementSettingsSchema.parse({});
export const SettlementSettingsPatchSchema = patchSchemaOf(SettlementSettingsSchema);

/**
 * Which PC this console is: the warehouse office's (it runs the sync flows) or finance's (it runs settlement and reads
 * the rest, and never syncs, so two PCs never post twice). Null until chosen at first start.
 */
export const CONSOLE_ROLES = ['operations', 'finance'] as const;
export const ConsoleRoleSchema = z.enum(CONSOLE_ROLES);
export type ConsoleRole = z.infer<typeof ConsoleRoleSchema>;

/**
 * How one payout line stands against SAP: its invoice or credit memo matches; SAP's amount differs; SAP has no
 * document for it; a fee (commission, subscription…: no customer document); reserve held or released; pending (not
 * in a payout yet); the payout itself.
 */
export const PAYOUT_LINE_CLASSES = ['matched', 'amount-differs', 'missing-in-sap', 'fee', 'reserve', 'pending', 'payment'] as const;
export const PayoutLineClassSchema = z.enum(PAYOUT_LINE_CLASSES);
export type PayoutLineClass = z.infer<typeof PayoutLineClassSchema>;

/** Whether a cycle's lines add up to the money transferred: not read yet, being read, ties, or does not. */
export const TIE_OUT_STATES = ['not-read', 'reading', 'ties', 'differs'] as const;
export const TieOutStateSchema = z.enum(TIE_OUT_STATES);
export type TieOutState = z.infer<typeof TieOutStateSchema>;
