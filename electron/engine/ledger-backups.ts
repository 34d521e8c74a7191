import path from 'node:path';
import type { Ledger } from './ledger';
import { backupFileName, backupLedger, defaultBackupFolder, listBackups, PAGES_PER_STEP, pruneBackups, type BackupResult } from './ledger/backup';
import type { Clock, Logger, TimerHandle } from './ports';
import { toRaise } from './flow-context';
import type { ExceptionRecord, RecordRef } from '../../shared/domain/exceptions';
import type { BackupSettings, LedgerBackupStatus } from '../../shared/domain/ledger-backup';

/**
 * The engine looks whether a backup is due ten minutes after it starts (start-up settled) and every hour after;
 * one is due when the last good one is 23½ hours old: the look a day after it, so the copy keeps to the same hour.
 */
export const BACKUPS = { firstAfterMs: 10 * 60_000, checkEveryMs: 60 * 60_000, dueAfterMs: 23.5 * 3_600_000 } as const;

/** The exception a failed backup raises, on the ledger's own record; resolved by the next good backup. */
export const BACKUP_FAILED = 'ledger-backup-failed';
export const BACKUP_RECORD: RecordRef = { type: 'ledger', key: 'backup' };

/** Kept in the ledger (maintenance_state), so the Overview shows the last good backup across restarts. */
interface BackupState {
  last: { at: string; file: string; bytes: number; ms: number } | null;
  failure: { at: string; error: string } | null;
}
const STATE_KEY = 'ledger-backup';

export interface LedgerBackups {
  start(): void;
  /** Stops the timer and abandons a backup in progress (its partial copy removed), before the ledger closes. */
  stop(): Promise<void>;
  status(): LedgerBackupStatus;
  /** Takes a backup now, whatever the time since the last; null when one is already under way. */
  backUpNow(): Promise<BackupResult | null>;
}

export function resolveBackupFolder(settings: BackupSettings, ledgerFile: string): string {
  return settings.folder ? path.resolve(settings.folder) : defaultBackupFolder(ledgerFile);
}

/**
 * The daily backup of the ledger (docs/ledger.md), part of the engine's maintenance: SQLite's online backup API a
 * page step at a time on the engine's own connection, the thread free between steps, the copy checked on a worker
 * thread. Copies older than settings.backup.keepDays go (the newest stays). A failure raises an exception on the
 * ledger (an alert once per opening) and is tried again at the next hourly look.
 */
export function ledgerBackups(deps: {
  ledger: Ledger;
  ledgerFile: string;
  clock: Clock;
  logger: Logger;
  settings: () => BackupSettings;
  exceptionChanged: (exception: ExceptionRecord) => void;
}): LedgerBackups {
  const { ledger, clock, logger } = deps;
  let timer: TimerHandle | null = null;
  let nextCheckAt: number | null = null;
  let running: Promise<BackupResult | null> | null = null;
  let stopping = false;
  let abandon = new AbortController();

  const read = (): BackupState => {
    const stored = ledger.db.prepare('SELECT value FROM maintenance_state WHERE key = ?').pluck().get(STATE_KEY) as string | undefined;
    return stored ? (JSON.parse(stored) as BackupState) : { last: null, failure: null };
  };
  const write = (state: BackupState) =>
    ledger.db
      .prepare('INSERT INTO maintenance_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(STATE_KEY, JSON.stringify(state));

  function schedule(ms: number) {
    if (stopping) return;
    nextCheckAt = clock.now() + ms;
    timer = clock.setTimeout(check, ms);
  }

  function due(now: number): boolean {
    const last = read().last;
    if (!last) return true;
    const age = now - Date.parse(last.at);
    // A clock put back past the last backup would otherwise wait for it to come round again.
    return age >= BACKUPS.dueAfterMs || age < 0;
  }

  function check() {
    timer = null;
    nextCheckAt = null;
    if (!deps.settings().enabled || !due(clock.now())) return schedule(BACKUPS.checkEveryMs);
    void backUpNow().finally(() => schedule(BACKUPS.checkEveryMs));
  }

  async function take(): Promise<BackupResult | null> {
    const settings = deps.settings();
    const folder = resolveBackupFolder(settings, deps.ledgerFile);
    const at = new Date(clock.now());
    try {
      const result = await backupLedger(ledger.db, path.join(folder, backupFileName(at)), {
        pagesPerStep: PAGES_PER_STEP,
        checkOffThread: true,
        signal: abandon.signal,
      });
      write({ last: { at: at.toISOString(), file: result.file, bytes: result.bytes, ms: result.ms }, failure: null });
      const removed = pruneBackups(folder, at, settings.keepDays);
      logger.info('Ledger backed up', {
        file: result.file,
        bytes: result.bytes,
        copyMs: result.copyMs,
        checkMs: result.checkMs,
        ...(result.checkedOnThread ? { checkedOnThread: true } : {}),
        ...(removed.length ? { removed: removed.length } : {}),
      });
      const resolved = ledger.exceptions.resolveFor('health', BACKUP_FAILED, BACKUP_RECORD, new Date(clock.now()));
      if (resolved) deps.exceptionChanged(resolved);
      return result;
    } catch (error) {
      if (stopping) return null;
      const message = error instanceof Error ? error.message : String(error);
      write({ ...read(), failure: { at: at.toISOString(), error: message } });
      logger.error('Ledger backup failed; tried again within the hour', { folder, error: message });
      const last = read().last;
      const raised = ledger.exceptions.raise(
        toRaise('health', {
          type: BACKUP_FAILED,
          record: BACKUP_RECORD,
          summary: `The ledger's daily backup into ${folder} failed${last ? ` (the last good one is from ${last.at})` : ' (there is no backup yet)'}`,
          rawError: message,
        }),
        new Date(clock.now()),
      );
      deps.exceptionChanged(raised.exception);
      return null;
    }
  }

  function backUpNow(): Promise<BackupResult | null> {
    if (running) return Promise.resolve(null);
    running = take().finally(() => (running = null));
    return running;
  }

  return {
    start() {
      stopping = false;
      abandon = new AbortController();
      if (!timer) schedule(BACKUPS.firstAfterMs);
    },
    async stop() {
      stopping = true;
      abandon.abort();
      if (timer) clock.clearTimeout(timer);
      timer = null;
      nextCheckAt = null;
      await running;
    },
    status() {
      const settings = deps.settings();
      const folder = resolveBackupFolder(settings, deps.ledgerFile);
      const state = read();
      return {
        enabled: settings.enabled,
        folder,
        keepDays: settings.keepDays,
        last: state.last,
        failure: state.failure,
        nextCheckAt: settings.enabled && nextCheckAt !== null ? new Date(nextCheckAt).toISOString() : null,
        backups: listBackups(folder)
          .slice(0, 100)
          .map((b) => ({ file: b.file, at: b.at, bytes: b.bytes })),
      };
    },
    backUpNow,
  };
}
