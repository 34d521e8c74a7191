import { PUBLISHED_MAXIMA } from './limits';

/** One published maximum and how much of it the calls kept by the governor have used. */
export interface CallBudget {
  operation: string;
  limit: number;
  windowMs: number;
  used: number;
  /** The marketplace answered 429 and asked to wait until then (epoch ms), if that is still ahead. */
  pausedUntil: number | null;
}

/**
 * How much of each published maximum is in use now, from the calls the governor keeps (ledger/marketplace-calls.ts):
 * every operation with a published number, whether or not it was called lately.
 */
export function callBudget(windows: readonly { operation: string; calls: readonly number[]; pausedUntil: number | null }[], now: number): CallBudget[] {
  const byOperation = new Map(windows.map((w) => [w.operation, w]));
  const out: CallBudget[] = [];
  for (const [operation, limits] of Object.entries(PUBLISHED_MAXIMA)) {
    const w = byOperation.get(operation);
    for (const limit of limits) {
      out.push({
        operation,
        limit: limit.limit,
        windowMs: limit.windowMs,
        used: (w?.calls ?? []).filter((t) => t > now - limit.windowMs).length,
        pausedUntil: w?.pausedUntil && w.pausedUntil > now ? w.pausedUntil : null,
      });
    }
  }
  return out;
}
