import { z } from 'zod';
import { pageFields } from './paging';
import { OrderStageSchema } from '../domain/orders';

const Actor = z.string().trim().min(1).max(80);

export const OrderSummarySchema = z.object({
  orderId: z.string(),
  commercialId: z.string().nullable(),
  /** The customer's number, as posted to SAP NumAtCard. */
  numAtCard: z.string().nullable(),
  marketplaceState: z.string().nullable(),
  stage: OrderStageSchema,
  totalPrice: z.string().nullable(),
  currency: z.string().nullable(),
  createdDate: z.string().nullable(),
  acceptanceDeadline: z.string().nullable(),
  shippingDeadline: z.string().nullable(),
  docEntry: z.number().int().nullable(),
  docNum: z.number().int().nullable(),
  sapTotal: z.string().nullable(),
  rounding: z.string().nullable(),
});
export type OrderSummary = z.infer<typeof OrderSummarySchema>;

export const OrderEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  source: z.enum(['marketplace', 'sap', 'exception', 'operator', 'engine']),
  summary: z.string(),
});

export const OrderLineSchema = z.object({
  orderLineId: z.string(),
  sku: z.string().nullable(),
  itemCode: z.string().nullable(),
  quantity: z.number().int().nullable(),
  state: z.string().nullable(),
  unitPrice: z.string().nullable(),
});

export const OrderDetailSchema = z.object({
  order: OrderSummarySchema,
  lines: z.array(OrderLineSchema),
  events: z.array(OrderEventSchema),
});
export type OrderDetail = z.infer<typeof OrderDetailSchema>;

export const VatMappingSchema = z.object({
  taxCode: z.string().nullable(),
  rate: z.string().nullable(),
  vatGroup: z.string(),
  source: z.enum(['operator', 'derived']),
  updatedBy: z.string(),
  updatedAt: z.string(),
});

export const SkuMappingSchema = z.object({ sku: z.string(), itemCode: z.string(), mappedAt: z.string() });

export const PreflightReportSchema = z.object({
  ok: z.boolean(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
  missingFields: z.array(z.string()),
  createdFields: z.array(z.string()),
});

/** The Orders screen: queue, detail with timeline, search by any number, the mappings "correct and retry" needs. */
export const ordersQueries = {
  'orders.list': {
    request: z
      .object({
        stage: OrderStageSchema.optional(),
        /** Marketplace order id, customer's number, commercial id or SAP DocNum. */
        search: z.string().max(100).optional(),
        /** Created on the marketplace at or after this instant (ISO). */
        createdFrom: z.iso.datetime({ offset: true }).optional(),
        /** Created before this instant (ISO): a day's end, or "older than" an age. */
        createdBefore: z.iso.datetime({ offset: true }).optional(),
        ...pageFields(),
      })
      .strict(),
    response: z.object({ rows: z.array(OrderSummarySchema), total: z.number().int().nonnegative(), stages: z.record(z.string(), z.number().int()) }),
  },
  'orders.get': { request: z.object({ orderId: z.string().min(1).max(100) }).strict(), response: OrderDetailSchema.nullable() },
  'orders.vatMappings': { request: z.object({}).strict(), response: z.array(VatMappingSchema) },
  /** The SKUs mapped to another SAP item than their own code (every other SKU is sold as the item of the same code). */
  'orders.skuMappings': {
    request: z
      .object({
        /** Part of a SKU or an SAP item code. */
        search: z.string().max(100).optional(),
        ...pageFields(),
      })
      .strict(),
    response: z.object({ rows: z.array(SkuMappingSchema), total: z.number().int().nonnegative() }),
  },
} as const;

export const ordersCommands = {
  /** A person's acceptance decision on a held order, carried out at the next run. */
  'orders.decide': {
    request: z.object({ orderId: z.string().min(1).max(100), decision: z.enum(['accept', 'refuse']), actor: Actor }).strict(),
    response: OrderSummarySchema,
  },
  /** Correct a SKU mapping; the orders it blocked are retried. */
  'orders.mapSku': {
    request: z.object({ sku: z.string().min(1).max(100), itemCode: z.string().min(1).max(50), actor: Actor }).strict(),
    response: z.object({ retried: z.array(z.string()) }),
  },
  /** Correct a VAT mapping (marketplace tax code and/or rate → SAP output VAT group); the orders it blocked are retried. */
  'orders.mapVat': {
    request: z
      .object({
        taxCode: z.string().min(1).max(50).nullable(),
        rate: z
          .string()
          .regex(/^\d+(\.\d+)?$/)
          .nullable(),
        vatGroup: z.string().min(1).max(8),
        actor: Actor,
      })
      .strict()
      .refine((r) => r.taxCode !== null || r.rate !== null, 'A tax code or a rate is needed'),
    response: z.object({ retried: z.array(z.string()) }),
  },
  /** Checks the SAP company for the orders flow; with createFields, creates the missing user-defined fields. */
  'orders.preflight': { request: z.object({ createFields: z.boolean().default(false), actor: Actor }).strict(), response: PreflightReportSchema },
} as const;
