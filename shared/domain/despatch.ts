import { z } from 'zod';
import { patchSchemaOf } from './settings-patch';

/**
 * Settings of the despatch flow: where SAP records the carrier of a Delivery Note, how far back each read
 * overlaps the last one, and when the watchdogs alert.
 */
export const DespatchSettingsSchema = z.object({
  /**
   * The SAP carrier: the Delivery Note's shipping type (TransportationCode → ShippingTypes.Name), or a
   * user-defined field on the Delivery Note (name without U_) where the warehouse types the carrier.
   */
  carrierSource: z
    .discriminatedUnion('from', [
      z.object({ from: z.literal('shipping-type') }),
      z.object({ from: z.literal('udf'), name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,17}$/) }),
    ])
    .default({ from: 'shipping-type' }),
  /** SAP filters UpdateTime by the minute: each read reaches this far behind the watermark and de-duplicates. */
  overlapMinutes: z.number().int().min(1).max(60).default(2),
  watchdogs: z
    .object({
      /** Delivered in SAP but not confirmed on the marketplace after this many hours: a tray alert. */
      confirmWithinHours: z.number().min(0.25).max(72).default(2),
      /** No delivery in SAP this many hours before the marketplace's shipping deadline: a tray alert. */
      deadlineWarningHours: z.number().min(0.25).max(72).default(4),
    })
    .default({ confirmWithinHours: 2, deadlineWarningHours: 4 }),
});
export type DespatchSettings = z.infer<typeof DespatchSettingsSchema>;
export const DEFAULT_DESPATCH_SETTINGS: DespatchSettings = DespatchSettingsSchema.parse({});
/** An operator's change to the despatch settings: only the fields sent. */
export const DespatchSettingsPatchSchema = patchSchemaOf(DespatchSettingsSchema);

/** Where one marketplace order's despatch confirmation is. */
export const DESPATCH_STATES = [
  'waiting-lines', // SAP delivered part of the Sales Order; the rest is still open
  'ready', // every line delivered: tracking (OR23) then ship (OR24) are due
  'tracking-sent', // OR23 accepted; OR24 next
  'confirmed', // the marketplace shows the order shipped
  'blocked', // an exception waits for a person
] as const;
export type DespatchState = (typeof DESPATCH_STATES)[number];
export const DespatchStateSchema = z.enum(DESPATCH_STATES);
