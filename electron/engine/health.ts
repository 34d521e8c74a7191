import type { FlowStatus, Health } from '../../shared/domain/flows';

/** Consecutive failed runs after which a flow counts as failing (one failure is a blip worth a look). */
export const FAILING_STREAK = 2;

/**
 * The one word the tray shows. Failing: the ledger's disk is full, or a flow failed twice in a row or missed a whole cadence.
 * Attention: a single failure, some drift, open exceptions, or the engine paused. Otherwise ok.
 */
export function computeHealth(input: { flows: FlowStatus[]; openExceptions: number; paused: boolean; ledgerFull?: boolean }): Health {
  if (input.ledgerFull) return 'failing';
  const enabled = input.flows.filter((f) => f.enabled);
  if (enabled.some((f) => f.failureStreak >= FAILING_STREAK || f.driftSeconds >= f.cadenceSeconds)) return 'failing';
  if (input.paused || input.openExceptions > 0 || enabled.some((f) => f.failureStreak > 0 || f.driftSeconds > 0)) return 'attention';
  return 'ok';
}

/** How long a run may take before the time it takes counts as drift: a run waiting for its turn at a rate limit is working, not late. */
export const runGraceMs = (cadenceSeconds: number) => Math.max(2 * cadenceSeconds * 1000, 5 * 60_000);

/**
 * Seconds since the last success beyond the cadence and its jitter allowance; 0 while on time. A run in progress
 * counts from when it started, until it has run longer than its grace: then it is late like any other.
 */
export function driftSeconds(input: {
  now: number;
  lastSuccessAt: string | null;
  since: number;
  cadenceSeconds: number;
  jitterFraction: number;
  runningSince?: number | null;
}): number {
  const reference = input.lastSuccessAt ? Date.parse(input.lastSuccessAt) : input.since;
  const allowed = input.cadenceSeconds * (1 + input.jitterFraction) * 1000;
  const running = input.runningSince ?? null;
  const at = running !== null && input.now - running < runGraceMs(input.cadenceSeconds) ? running : input.now;
  return Math.max(0, Math.floor((at - reference - allowed) / 1000));
}
