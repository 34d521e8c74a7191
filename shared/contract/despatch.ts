import { z } from 'zod';
import { pageFields } from './paging';
import { DespatchStateSchema } from '../domain/despatch';

const Actor = z.string().trim().min(1).max(80);
const OrderId = z.string().min(1).max(100);

/** One marketplace order's despatch: the Delivery Note(s) SAP holds for it and where its confirmation is. */
export const DespatchSummarySchema = z.object({
  orderId: z.string(),
  /** The customer's number (NumAtCard), what the warehouse sees on the paperwork. */
  numAtCard: z.string().nullable(),
  salesOrderDocNum: z.number().int().nullable(),
  /** The latest Delivery Note: the one whose carrier and tracking number are confirmed. */
  deliveryDocEntry: z.number().int(),
  deliveryDocNum: z.number().int().nullable(),
  deliveries: z.number().int(),
  sapCarrier: z.string().nullable(),
  /** As SAP holds it. */
  trackingNumber: z.string().nullable(),
  /** The marketplace carrier code the mapping (or a correction) gives. */
  carrierCode: z.string().nullable(),
  /** Or the carrier the marketplace list does not have, sent by name (where the shop accepts those). */
  carrierName: z.string().nullable(),
  /** An operator's correction, used instead of SAP's values. */
  correctedCarrierCode: z.string().nullable(),
  correctedTrackingNumber: z.string().nullable(),
  state: DespatchStateSchema,
  /** The exception holding it up, if any. */
  exception: z.object({ id: z.number().int(), type: z.string(), summary: z.string(), rawError: z.string().nullable() }).nullable(),
  shippingDeadline: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  updatedAt: z.string(),
  /** An operator's command for it was accepted and waits its turn (the outcome comes as a despatch.changed event). */
  sending: z.object({ since: z.string(), sendsAt: z.string().nullable() }).nullable(),
});
export type DespatchSummary = z.infer<typeof DespatchSummarySchema>;

export const MarketplaceCarrierSchema = z.object({
  code: z.string(),
  label: z.string().nullable(),
  standardCode: z.string().nullable(),
  trackingUrl: z.string().nullable(),
});
export type MarketplaceCarrier = z.infer<typeof MarketplaceCarrierSchema>;

/** A carrier the marketplace list does not have: sent by name, with its tracking page (`{trackingId}` where the number goes). */
export const NamedCarrierSchema = z.object({
  carrierName: z.string().trim().min(1).max(100),
  trackingUrl: z
    .string()
    .trim()
    .max(500)
    .regex(/^https?:\/\/\S+$/, 'a web address starting http:// or https://')
    .nullable()
    .default(null),
});
export type NamedCarrier = z.infer<typeof NamedCarrierSchema>;

export const CarrierSuggestionSchema = z.object({ code: z.string(), label: z.string().nullable(), score: z.number() });

/** A row of the carrier mapping table: an SAP carrier, its marketplace carrier code (if mapped) and suggestions. */
export const CarrierMappingRowSchema = z.object({
  sapCarrier: z.string(),
  carrierCode: z.string().nullable(),
  /** Or: sent as a carrier the marketplace list does not have. */
  named: z.object({ carrierName: z.string(), trackingUrl: z.string().nullable() }).nullable(),
  /** False when the mapped code is no longer on the marketplace's carrier list, or a named carrier the shop no longer accepts. */
  valid: z.boolean(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  suggestions: z.array(CarrierSuggestionSchema),
});
export type CarrierMappingRow = z.infer<typeof CarrierMappingRowSchema>;

export const DespatchOutcomeSchema = z.object({
  /**
   * confirmed: the marketplace shows it shipped; blocked: an exception (below); pending: waiting for lines, a dry run,
   * or a run still to come; queued: accepted and waiting its turn (sendsAt), the outcome follows as a despatch.changed event.
   */
  outcome: z.enum(['confirmed', 'blocked', 'pending', 'queued']),
  message: z.string(),
  /** For queued: when it is expected to go (null when the engine cannot tell). */
  sendsAt: z.string().nullable().default(null),
  despatch: DespatchSummarySchema,
});
export type DespatchOutcome = z.infer<typeof DespatchOutcomeSchema>;

/** Where the shop stands on carriers the marketplace list does not have (PC01 disable_seller_alternative_carrier). */
export const NamedCarriersSchema = z.enum(['allowed', 'forbidden', 'unknown']);

/** The Despatch screen: the queue, the carrier mapping table, and the manual despatch correction. */
export const despatchQueries = {
  'despatch.list': {
    request: z
      .object({
        state: DespatchStateSchema.optional(),
        /** Marketplace order id, customer's number, tracking number or Delivery Note number. */
        search: z.string().max(100).optional(),
        /** Delivered in SAP (every line) at or after this instant (ISO). */
        deliveredFrom: z.iso.datetime({ offset: true }).optional(),
        /** Delivered before this instant (ISO): a day's end, or "older than" an age. */
        deliveredBefore: z.iso.datetime({ offset: true }).optional(),
        ...pageFields(),
      })
      .strict(),
    response: z.object({ rows: z.array(DespatchSummarySchema), total: z.number().int().nonnegative(), states: z.record(z.string(), z.number().int()) }),
  },
  'despatch.get': { request: z.object({ orderId: OrderId }).strict(), response: DespatchSummarySchema.nullable() },
  /** The marketplace's carrier list (SH21, cached a day), the mapping table, and suggestions for unmapped SAP carriers. */
  'despatch.carriers': {
    request: z.object({ refresh: z.boolean().default(false) }).strict(),
    response: z.object({
      carriers: z.array(MarketplaceCarrierSchema),
      mappings: z.array(CarrierMappingRowSchema),
      /** Whether a mapping may send a carrier by name (the shop accepts carriers the list does not have). */
      namedCarriers: NamedCarriersSchema,
      error: z.string().nullable(),
    }),
  },
} as const;

export const despatchCommands = {
  /**
   * Map an SAP carrier to a marketplace carrier code (checked against the carrier list), or to a named carrier with its
   * tracking URL where the shop accepts carriers the list does not have; the despatches it blocked are retried.
   */
  'despatch.saveMapping': {
    request: z
      .object({
        sapCarrier: z.string().trim().min(1).max(100),
        carrierCode: z.string().trim().min(1).max(100).optional(),
        named: NamedCarrierSchema.optional(),
        actor: Actor,
      })
      .strict()
      .refine((r) => (r.carrierCode === undefined) !== (r.named === undefined), {
        message: 'give a marketplace carrier code or a named carrier (one of the two)',
      }),
    response: z.object({ mapping: CarrierMappingRowSchema, retried: z.array(z.string()) }),
  },
  /**
   * The manual despatch correction: the marketplace carrier code and tracking number to confirm this order with,
   * optionally remembered as the SAP carrier's mapping and written back to the SAP Delivery Note. Sent at once and
   * answered with the outcome; when it has to wait its turn it is answered at once as queued and the outcome follows as
   * a despatch.changed event. Audited on the exception and on the order's timeline.
   */
  'despatch.correct': {
    request: z
      .object({
        orderId: OrderId,
        carrierCode: z.string().trim().min(1).max(100),
        trackingNumber: z.string().trim().min(1).max(100),
        rememberMapping: z.boolean().default(false),
        writeBack: z.boolean().default(false),
        actor: Actor,
      })
      .strict(),
    response: DespatchOutcomeSchema,
  },
} as const;

export const despatchEvents = {
  /** A queued despatch command's outcome, once known (the console shows it on the row and as a notice). */
  'despatch.changed': DespatchOutcomeSchema.extend({ orderId: z.string() }),
} as const;
