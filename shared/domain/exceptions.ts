import { z } from 'zod';
import { FlowNameSchema } from './flows';

export const EXCEPTION_STATES = ['open', 'retrying', 'resolved', 'dismissed'] as const;
export const ExceptionStateSchema = z.enum(EXCEPTION_STATES);
export type ExceptionState = z.infer<typeof ExceptionStateSchema>;

export const SeveritySchema = z.enum(['info', 'warning', 'error', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

/**
 * Business: the other system said no for a reason a person must fix (a mapping, a refused address); nothing is tried
 * again until something changes or a person retries. Technical: the engine could not finish (an error it retried,
 * an answer that never came); it retries by itself and, past its limit, waits for a person's replay.
 */
export const ExceptionCategorySchema = z.enum(['business', 'technical']);
export type ExceptionCategory = z.infer<typeof ExceptionCategorySchema>;

/** Which record an exception concerns, e.g. { type: 'order', key: '000000086-A' } or { type: 'sku', key: 'JL-1001' }. */
export const RecordRefSchema = z.object({
  type: z.string().min(1),
  key: z.string().min(1),
});
export type RecordRef = z.infer<typeof RecordRefSchema>;

export const ExceptionSchema = z.object({
  id: z.number().int(),
  flow: FlowNameSchema,
  /** Machine name of the problem, e.g. 'sku-unmapped', 'carrier-unmapped', 'warehouse-unanswered'. */
  type: z.string().min(1),
  severity: SeveritySchema,
  category: ExceptionCategorySchema,
  record: RecordRefSchema,
  /** One sentence a person understands: what failed and why it matters. */
  summary: z.string(),
  /** The other system's error, verbatim. */
  rawError: z.string().nullable(),
  /** What the operator can do about it. */
  suggestedAction: z.string(),
  state: ExceptionStateSchema,
  /** When this stops being fixable (acceptance or shipping deadline), if it has such a moment. */
  deadlineAt: z.string().nullable(),
  occurrences: z.number().int().positive(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
});
export type ExceptionRecord = z.infer<typeof ExceptionSchema>;

export const ExceptionActionKindSchema = z.enum(['raised', 'retry', 'correct', 'dismiss', 'resolve', 'reopen']);
export type ExceptionActionKind = z.infer<typeof ExceptionActionKindSchema>;

export const ExceptionActionSchema = z.object({
  id: z.number().int(),
  exceptionId: z.number().int(),
  action: ExceptionActionKindSchema,
  /** 'engine' for automatic moves, otherwise the operator's name. */
  actor: z.string(),
  reason: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  at: z.string(),
});
export type ExceptionAction = z.infer<typeof ExceptionActionSchema>;

export const ExceptionDetailSchema = z.object({
  exception: ExceptionSchema,
  actions: z.array(ExceptionActionSchema),
});
export type ExceptionDetail = z.infer<typeof ExceptionDetailSchema>;
