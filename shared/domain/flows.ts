import { z } from 'zod';
import type { ConsoleRole } from './finance';

/**
 * The flows the engine runs. `health` checks that SAP and the marketplace answer, so the tray can
 * say "SAP unreachable" before any business flow fails; the rest are the glossary's flows.
 */
export const FLOW_NAMES = ['health', 'orders', 'stock', 'despatch', 'invoicing', 'returns', 'settlement'] as const;
export const FlowNameSchema = z.enum(FLOW_NAMES);
export type FlowName = z.infer<typeof FlowNameSchema>;

/** The flows this version has: a flow named but not built could not be switched on, and the console shows only the flows its engine runs. */
export const AVAILABLE_FLOWS = ['health', 'orders', 'stock', 'despatch', 'invoicing', 'returns', 'settlement'] as const satisfies readonly FlowName[];

/** The flows that keep SAP and the marketplace in step: the warehouse office's console runs them, a finance console never. */
export const SYNC_FLOWS = ['orders', 'stock', 'despatch', 'invoicing', 'returns'] as const satisfies readonly FlowName[];

/**
 * Whether a console with this role runs the flow: a finance console runs health and settlement only, so a finance PC and
 * the warehouse PC never sync twice; an operations console runs every flow, and so does one whose role is not chosen
 * yet (an install from before the role existed goes on as it was).
 */
export function roleRunsFlow(role: ConsoleRole | null, flow: FlowName): boolean {
  return role !== 'finance' || !(SYNC_FLOWS as readonly FlowName[]).includes(flow);
}

/** Why a finance console will not run these flows, in the words the engine refuses with. */
export function financeRoleRefusal(flows: readonly FlowName[]): string {
  const many = flows.length > 1;
  return `A finance console runs only the health and settlement flows: the ${flows.join(', ')} flow${many ? 's' : ''} cannot be switched on or run here (${many ? 'they run' : 'it runs'} on the operations console, the warehouse office's PC)`;
}

export const RunTriggerSchema = z.enum(['schedule', 'manual', 'once']);
export type RunTrigger = z.infer<typeof RunTriggerSchema>;

export const RunOutcomeSchema = z.enum(['running', 'succeeded', 'failed', 'interrupted']);
export type RunOutcome = z.infer<typeof RunOutcomeSchema>;

/** Counts a run reports, e.g. { read: 120, sent: 4, rejected: 1 }. */
export const RunCountsSchema = z.record(z.string(), z.number().int().nonnegative());
export type RunCounts = z.infer<typeof RunCountsSchema>;

export const RunSchema = z.object({
  id: z.number().int(),
  flow: FlowNameSchema,
  trigger: RunTriggerSchema,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  outcome: RunOutcomeSchema,
  counts: RunCountsSchema,
  error: z.string().nullable(),
  dryRun: z.boolean(),
});
export type Run = z.infer<typeof RunSchema>;

/** What the console shows per flow: is it due, running, healthy, drifting? */
export const FlowStatusSchema = z.object({
  flow: FlowNameSchema,
  enabled: z.boolean(),
  cadenceSeconds: z.number().positive(),
  running: z.boolean(),
  lastRun: RunSchema.nullable(),
  lastSuccessAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  /** Consecutive failed runs, newest first. */
  failureStreak: z.number().int().nonnegative(),
  /** Seconds since the last successful run beyond the cadence; 0 when on time. */
  driftSeconds: z.number().nonnegative(),
});
export type FlowStatus = z.infer<typeof FlowStatusSchema>;

export const EngineStateSchema = z.enum(['stopped', 'running', 'paused']);
export type EngineState = z.infer<typeof EngineStateSchema>;

/** The one word the tray shows: all good, something needs a look, or sync is failing. */
export const HealthSchema = z.enum(['ok', 'attention', 'failing']);
export type Health = z.infer<typeof HealthSchema>;

/** Sync stopped by itself because the ledger cannot be written: the disk it is on is full (decision 0006). */
export const LedgerFullSchema = z.object({ since: z.string(), message: z.string() });
export type LedgerFull = z.infer<typeof LedgerFullSchema>;

export const EngineStatusSchema = z.object({
  state: EngineStateSchema,
  health: HealthSchema,
  /** Set while the ledger's disk is full: no run starts until there is room; the console shows the message. */
  ledgerFull: LedgerFullSchema.nullable().optional(),
  dryRun: z.boolean(),
  flows: z.array(FlowStatusSchema),
  openExceptions: z.number().int().nonnegative(),
  /** Bumped on every change so a console can tell a fresh status from a stale one. */
  revision: z.number().int().nonnegative(),
});
export type EngineStatus = z.infer<typeof EngineStatusSchema>;

/**
 * What a person is told outside the console (the tray's notifications, the browser's): a title in words, never an
 * internal name, and the console address of the record it is about, so clicking it opens that record.
 */
export const NotificationSchema = z.object({
  title: z.string(),
  body: z.string(),
  severity: z.enum(['info', 'warning', 'error', 'critical']),
  /** e.g. '#/exceptions/42'; null: nothing in particular to open. */
  address: z.string().nullable(),
});
export type EngineNotification = z.infer<typeof NotificationSchema>;
