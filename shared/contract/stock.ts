import { z } from 'zod';
import { pageFields } from './paging';
import { ReconciliationRowSchema, ReconciliationSideSchema, SkuBreakdownSchema, SkuStockSchema, StockCycleSchema } from '../domain/stock';

/**
 * The Stock screen's queries. Stock settings change through the general `settings.update` command
 * (`patch.stock`, with `patch.flows.stock` for the cadence), so one save changes both at once.
 */
export const stockQueries = {
  'stock.lastCycle': { request: z.object({}).strict(), response: StockCycleSchema.nullable() },
  'stock.skus': {
    request: z
      .object({
        search: z.string().max(100).optional(),
        ...pageFields(),
      })
      .strict(),
    response: z.object({ rows: z.array(SkuStockSchema), total: z.number().int().nonnegative() }),
  },
  'stock.breakdown': { request: z.object({ sku: z.string().min(1).max(100) }).strict(), response: SkuBreakdownSchema.nullable() },
  'stock.reconciliation': {
    request: z
      .object({
        side: ReconciliationSideSchema.optional(),
        ...pageFields(),
      })
      .strict(),
    response: z.object({ rows: z.array(ReconciliationRowSchema), total: z.number().int().nonnegative(), reconciledAt: z.string().nullable() }),
  },
} as const;
