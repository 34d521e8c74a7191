import type { Ledger } from './ledger';
import { pruneLedger } from './ledger/retention';
import type { Clock, Logger, TimerHandle } from './ports';
import type { RetentionSettings } from '../../shared/domain/retention';

/** The first prune waits for start-up to settle; then one every 6 hours; a backlog is worked off a step a second. */
export const MAINTENANCE = { firstAfterMs: 60_000, everyMs: 6 * 3_600_000, nextStepMs: 1_000 } as const;

/**
 * Keeps the ledger from growing without end (ledger/retention.ts), in bounded steps on the engine's clock, so a
 * year of backlog on a first start is worked off without ever holding the engine's thread for long.
 */
export function ledgerMaintenance(deps: { ledger: Ledger; clock: Clock; logger: Logger; retention: () => RetentionSettings }) {
  let timer: TimerHandle | null = null;
  let totals: Record<string, number> = {};

  function schedule(ms: number) {
    timer = deps.clock.setTimeout(step, ms);
  }
  function step() {
    timer = null;
    try {
      const { more, ...done } = pruneLedger(deps.ledger.db, new Date(deps.clock.now()), undefined, deps.retention());
      for (const [table, n] of Object.entries(done)) totals[table] = (totals[table] ?? 0) + n;
      if (more) return schedule(MAINTENANCE.nextStepMs);
      if (Object.values(totals).some((n) => n > 0)) deps.logger.info('Ledger pruned past its retention', { ...totals });
      // The write-ahead log grew with the cycles and the prune: fold it into the ledger and cut it back to its limit.
      deps.ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (error) {
      // A busy or locked ledger: the next round tries again; nothing here is urgent.
      deps.logger.warn('Ledger pruning failed; tried again later', { error: error instanceof Error ? error.message : String(error) });
    }
    totals = {};
    schedule(MAINTENANCE.everyMs);
  }
  return {
    start: () => void (timer ??= deps.clock.setTimeout(step, MAINTENANCE.firstAfterMs)),
    stop() {
      if (timer) deps.clock.clearTimeout(timer);
      timer = null;
    },
  };
}
