import type { Db } from './ledger/db';
import type { Clock, Logger, TimerHandle } from './ports';

/** How often a ledger that could not be written for want of space is tried again, unless a person presses Run now first. */
export const LEDGER_SPACE_PROBE_MS = 15_000;
/** What the check writes (and takes back): a few pages' worth, so a disk with room for one small row does not count. */
const PROBE_BYTES = 64 * 1024;

/** SQLite's answer when the disk under the ledger has no room left (better-sqlite3 carries it as the error's code). */
export function isLedgerFull(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === 'SQLITE_FULL') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export interface LedgerFull {
  since: string;
  /** What a person is told: what stopped, why, that nothing is lost, and what to do. */
  message: string;
}

export interface LedgerSpace {
  /** Since when the ledger cannot be written for want of space; null while it can. */
  readonly full: LedgerFull | null;
  /**
   * An error reached the engine: when it is the ledger's disk being full, sync stops (once) and the disk is tried
   * again every LEDGER_SPACE_PROBE_MS until it has room. True when it was.
   */
  noticed(error: unknown): boolean;
  /** Tries a small write now (a person pressed Run now): true when the ledger has room again, and sync resumes. */
  probe(): boolean;
  stop(): void;
}

/**
 * The ledger's disk, watched: on a full disk every write fails with SQLITE_FULL, so the engine stops starting runs
 * (each would fail half-way and record nothing) and says so, and writes one small row now and then to learn when
 * there is room again. SQLite keeps the ledger whole through failed writes: what was committed stays, what was not
 * is rolled back; a write sent to SAP or the marketplace whose outcome could not be recorded keeps its intent open,
 * to be looked up before anything is sent again (decision 0006).
 */
export function ledgerSpace(deps: {
  db: Db;
  file: string;
  clock: Clock;
  logger: Logger;
  probeEveryMs?: number;
  /** The ledger filled up, or has room again. */
  changed(full: boolean): void;
}): LedgerSpace {
  let full: LedgerFull | null = null;
  let timer: TimerHandle | null = null;
  const probeEveryMs = deps.probeEveryMs ?? LEDGER_SPACE_PROBE_MS;
  // Room for a little more than a run writes: a row of PROBE_BYTES, taken back in the same transaction.
  const insert = deps.db.prepare(`INSERT OR REPLACE INTO maintenance_state (key, value) VALUES ('ledger-space-probe', ?)`);
  const remove = deps.db.prepare(`DELETE FROM maintenance_state WHERE key = 'ledger-space-probe'`);
  const write = deps.db.transaction(() => {
    insert.run('x'.repeat(PROBE_BYTES));
    remove.run();
  });

  function schedule(): void {
    timer = deps.clock.setTimeout(() => {
      timer = null;
      if (!probe()) schedule();
    }, probeEveryMs);
  }

  function probe(): boolean {
    if (!full) return true;
    try {
      write();
    } catch (error) {
      if (isLedgerFull(error)) return false;
      // Another trouble (a busy ledger): not this one, so not a reason to hold sync back.
      deps.logger.warn('The ledger space check failed for another reason', { error: error instanceof Error ? error.message : String(error) });
    }
    deps.logger.info('The ledger has room again: sync resumes', { since: full.since });
    full = null;
    if (timer) deps.clock.clearTimeout(timer);
    timer = null;
    deps.changed(false);
    return true;
  }

  return {
    get full() {
      return full;
    },
    noticed(error) {
      if (!isLedgerFull(error)) return false;
      if (full) return true;
      full = {
        since: new Date(deps.clock.now()).toISOString(),
        message: `Sync has stopped: the disk the ledger is on is full (${deps.file}). Nothing is lost. Free some space on that disk: sync resumes by itself within ${Math.round(probeEveryMs / 1000)} s, or at once with Run now.`,
      };
      deps.logger.error('The ledger cannot be written: its disk is full. Sync stops until there is room', { file: deps.file });
      deps.changed(true);
      schedule();
      return true;
    },
    probe,
    stop() {
      if (timer) deps.clock.clearTimeout(timer);
      timer = null;
    },
  };
}
