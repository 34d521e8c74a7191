import { z } from 'zod';
import { ExceptionSchema } from '../domain/exceptions';
import { FlowNameSchema, RunOutcomeSchema } from '../domain/flows';

/** A window of a system's requests: how many, how many failed, and their latency percentiles (ms). */
export const RequestWindowSchema = z.object({
  at: z.string(),
  requests: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
});
export type RequestWindowView = z.infer<typeof RequestWindowSchema>;

/** The Overview's picture of the last day (or the hours asked for). */
export const HealthHistorySchema = z.object({
  from: z.string(),
  until: z.string(),
  windowMinutes: z.number().int().positive(),
  /** Per system ('sap-b1', 'marketplace'): its windows oldest first, and the period's totals. */
  systems: z.array(z.object({ system: z.string(), windows: z.array(RequestWindowSchema), total: RequestWindowSchema })),
  /** Per flow this engine runs: its latest runs' outcomes, oldest first. */
  flows: z.array(z.object({ flow: FlowNameSchema, runs: z.array(z.object({ id: z.number().int(), startedAt: z.string(), outcome: RunOutcomeSchema })) })),
  /** Each published marketplace maximum and how much of it is in use now. */
  budget: z.array(
    z.object({ operation: z.string(), limit: z.number().int(), windowMs: z.number().int(), used: z.number().int(), pausedUntil: z.string().nullable() }),
  ),
  /** Open exceptions with a deadline, soonest first. */
  due: z.array(ExceptionSchema),
});
export type HealthHistory = z.infer<typeof HealthHistorySchema>;

export const healthQueries = {
  'health.history': {
    request: z.object({ hours: z.number().int().min(1).max(168).default(24) }).strict(),
    response: HealthHistorySchema,
  },
} as const;
