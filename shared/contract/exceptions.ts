import { z } from 'zod';
import { pageFields } from './paging';
import { FlowNameSchema } from '../domain/flows';
import { ExceptionCategorySchema, ExceptionDetailSchema, ExceptionSchema, ExceptionStateSchema, SeveritySchema } from '../domain/exceptions';

const Actor = z.string().trim().min(1).max(80);

/** What the Exceptions screen filters on; the engine filters in the ledger. */
export const ExceptionFilterSchema = z.object({
  state: ExceptionStateSchema.optional(),
  flow: FlowNameSchema.optional(),
  category: ExceptionCategorySchema.optional(),
  severity: SeveritySchema.optional(),
  /** One exception type, e.g. 'sku-unmapped' (the groups below name them). */
  type: z.string().min(1).max(80).optional(),
  search: z.string().max(200).optional(),
});
export type ExceptionFilterRequest = z.infer<typeof ExceptionFilterSchema>;

/** One exception type within the filter, with how many exceptions it has: the screen's "by type" line. */
export const ExceptionGroupSchema = z.object({ type: z.string(), flow: FlowNameSchema, count: z.number().int().positive() });
export type ExceptionGroup = z.infer<typeof ExceptionGroupSchema>;

/** Most exceptions one bulk action takes: a screenful of selections, never "every row in the ledger" by accident. */
export const BULK_MAX = 500;

/** Each exception of a bulk action on its own: one already resolved or unknown is refused with why, the rest go on. */
export const BulkOutcomeSchema = z.object({
  results: z.array(
    z.object({
      id: z.number().int(),
      outcome: z.enum(['done', 'refused']),
      /** Why it was refused, in words. */
      reason: z.string().nullable(),
    }),
  ),
});
export type BulkOutcome = z.infer<typeof BulkOutcomeSchema>;

const Ids = z.array(z.number().int().positive()).min(1).max(BULK_MAX);

export const exceptionQueries = {
  'exceptions.list': {
    request: ExceptionFilterSchema.extend({
      ...pageFields(),
    }).strict(),
    response: z.object({ rows: z.array(ExceptionSchema), total: z.number().int().nonnegative() }),
  },
  'exceptions.groups': {
    /** The filter without its type: the groups say which types there are to choose from. */
    request: ExceptionFilterSchema.omit({ type: true }).strict(),
    response: z.array(ExceptionGroupSchema),
  },
  'exceptions.get': { request: z.object({ id: z.number().int() }).strict(), response: ExceptionDetailSchema },
} as const;

export const exceptionCommands = {
  'exceptions.retry': { request: z.object({ id: z.number().int(), actor: Actor }).strict(), response: ExceptionSchema },
  'exceptions.dismiss': {
    request: z.object({ id: z.number().int(), actor: Actor, reason: z.string().trim().min(3).max(500) }).strict(),
    response: ExceptionSchema,
  },
  'exceptions.retryMany': { request: z.object({ ids: Ids, actor: Actor }).strict(), response: BulkOutcomeSchema },
  'exceptions.dismissMany': {
    request: z.object({ ids: Ids, actor: Actor, reason: z.string().trim().min(3).max(500) }).strict(),
    response: BulkOutcomeSchema,
  },
} as const;
