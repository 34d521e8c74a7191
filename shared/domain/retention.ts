import { z } from 'zod';

/**
 * How long the engine keeps its own bookkeeping in the ledger (orders, despatches, SKU figures and their bindings are
 * kept whatever these say). Each is bounded both ways: never so short that last week cannot be looked into, never so
 * long that the ledger grows without end.
 */
export const RetentionSettingsSchema = z.object({
  /** Runs of every flow and the stock cycles; the latest run of each flow always stays. */
  runsDays: z.number().int().min(7).max(400),
  /** Timeline events of every record; the first (how the record arrived) and the latest event of each stay. */
  eventsDays: z.number().int().min(30).max(730),
  /** Every row of each stock upload sent to the marketplace; after it, the upload keeps its sample. */
  stockUploadRowsDays: z.number().int().min(1).max(90),
  /** The sample of each stock upload (how many SKUs and rows, the first rows); after it the upload's record goes. */
  stockUploadSamplesDays: z.number().int().min(7).max(400),
});
export type RetentionSettings = z.infer<typeof RetentionSettingsSchema>;

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = {
  runsDays: 90,
  eventsDays: 90,
  // Each upload's every row is about 25 MB a day at 1,000 changed SKUs a cycle: a week of them, then the sample.
  stockUploadRowsDays: 7,
  stockUploadSamplesDays: 90,
};

export const RetentionSettingsPatchSchema = RetentionSettingsSchema.partial();
