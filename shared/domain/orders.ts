import { z } from 'zod';
import { patchSchemaOf } from './settings-patch';

/**
 * Settings of the orders flow: which SAP business partner marketplace orders are posted to, which number the
 * customer quotes (NumAtCard), how orders are accepted, where shipping goes, and the user-defined fields
 * that carry the marketplace ids on the Sales Order.
 */
export const NUM_AT_CARD_SOURCES = ['commercial_id', 'order_reference_for_customer'] as const;
export const ACCEPTANCE_POLICIES = ['accept-all', 'refuse-short-lines', 'hold-for-person'] as const;
export type AcceptancePolicy = (typeof ACCEPTANCE_POLICIES)[number];

export const OrdersSettingsSchema = z.object({
  /**
   * Go-live cut-off: the first read asks the marketplace only for orders updated since then, and an order first
   * seen already shipped, received or closed that was created before it is kept as history, never posted.
   * Required before the orders flow runs live (not under dry run).
   */
  ordersFrom: z.iso.datetime({ offset: true }).nullable().default(null),
  /** The marketplace's business partner in SAP (CardCode) every Sales Order is posted to. */
  cardCode: z.string().min(1).default('C-JLM'),
  /** The number customer service searches SAP by: John Lewis' commercial id by default. */
  numAtCardSource: z.enum(NUM_AT_CARD_SOURCES).default('commercial_id'),
  /**
   * What happens when an order cannot be accepted automatically (unmapped or unsellable SKU, short stock):
   * accept it anyway, refuse only the short lines, or wait for a person (the default).
   */
  acceptancePolicy: z.enum(ACCEPTANCE_POLICIES).default('hold-for-person'),
  /** Accept automatically at all; off = every order waits for a person. */
  autoAccept: z.boolean().default(true),
  /** SAP warehouse a Sales Order line draws from when no warehouse in the priority list has its quantity. */
  warehouseCode: z.string().min(1).default('01'),
  /**
   * Warehouses to take a line's stock from, in order: each line goes to the first that has its quantity available
   * in SAP (in stock less committed), else to `warehouseCode`. Empty: every line goes to `warehouseCode`.
   */
  warehousePriority: z.array(z.string().trim().min(1).max(8)).max(50).default([]),
  /** Shipping charge as SAP freight (additional expense) or as a line of a non-stock service item. */
  shipping: z
    .discriminatedUnion('as', [
      z.object({ as: z.literal('service-item'), itemCode: z.string().min(1) }),
      z.object({ as: z.literal('freight'), expenseCode: z.number().int() }),
      /** The shipping charge stays off the Sales Order (the total compared is then the goods only). */
      z.object({ as: z.literal('none') }),
    ])
    .default({ as: 'freight', expenseCode: 1 }),
  /** SKUs the business tracks by batch or serial: SAP's Item Master must manage them that way too. */
  trackedSkus: z.array(z.string().min(1)).default([]),
  /** User-defined field names (without U_) for the marketplace order id (ORDR) and order line id (RDR1). */
  udf: z
    .object({
      orderId: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,17}$/)
        .default('JLM_OrderId'),
      orderLineId: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,17}$/)
        .default('JLM_LineId'),
      /** On Returns and Credit Memos: the marketplace return and refund they were made for. */
      returnId: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,17}$/)
        .default('JLM_ReturnId'),
      refundId: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,17}$/)
        .default('JLM_RefundId'),
    })
    .default({ orderId: 'JLM_OrderId', orderLineId: 'JLM_LineId', returnId: 'JLM_ReturnId', refundId: 'JLM_RefundId' }),
  /** Marketplace tax mode asked for when reading orders: gross prices go to PriceAfterVAT, net to UnitPrice. */
  taxMode: z.enum(['TAX_INCLUDED', 'TAX_EXCLUDED']).default('TAX_INCLUDED'),
  /** Largest difference (in £) between SAP's rounded total and the marketplace total corrected by a rounding amount. */
  maxRounding: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .default('0.05'),
  /** Sales Orders created at once, within SAP's own concurrency limit. */
  postingConcurrency: z.number().int().min(1).max(16).default(4),
  /** The posting lease kept in a user-defined table in SAP, so two consoles on one company never both post. */
  lease: z.object({ seconds: z.number().int().min(10).max(3600).default(120) }).default({ seconds: 120 }),
  /**
   * After SAP gave no answer to a Sales Order create, how long to wait before looking it up and, only if it is
   * not there, sending it again: longer than SAP could still be working on it (never less than twice SAP's timeout).
   */
  createSettleSeconds: z.number().int().min(1).max(3600).default(120),
  /**
   * When the standing check finds two Sales Orders for one marketplace order, close the younger one in SAP if
   * nothing was delivered from it. Off: a person is told and decides.
   */
  closeDuplicates: z.boolean().default(false),
});
export type OrdersSettings = z.infer<typeof OrdersSettingsSchema>;
export const DEFAULT_ORDERS_SETTINGS: OrdersSettings = OrdersSettingsSchema.parse({});

/** An operator's change to the orders settings: only the fields sent. */
export const OrdersSettingsPatchSchema = patchSchemaOf(OrdersSettingsSchema);
export type OrdersSettingsPatch = Partial<OrdersSettings>;

/** Where a marketplace order is in its journey through the console. */
export const ORDER_STAGES = [
  'awaiting-acceptance', // WAITING_ACCEPTANCE on the marketplace, not decided yet
  'held', // waits for a person (acceptance exception)
  'accepted', // OR21 sent; waiting for the debit
  'ready', // SHIPPING: to be posted
  'posting', // the create intent is recorded; outcome not known yet
  'posted', // a Sales Order exists in SAP
  'blocked', // a posting exception waits for a person
  'closed', // cancelled before posting, refused, or the Sales Order was closed after a cancellation
  'history', // first seen already shipped, received or closed, created before the go-live cut-off: never posted
  'dismissed', // an operator dismissed it
] as const;
export type OrderStage = (typeof ORDER_STAGES)[number];
export const OrderStageSchema = z.enum(ORDER_STAGES);
