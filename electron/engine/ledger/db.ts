import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';
import { assertLedgerRuntime } from './runtime';
import { prepareLedgerFiles } from '../private-files';
import { integrityProblems, isDamage, LedgerDamagedError } from './integrity';

export type Db = Database.Database;

/** What the write-ahead log is cut back to after a checkpoint (4 MB). */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Opens the ledger: WAL so the console can read while a flow writes, foreign keys on, a busy timeout so a
 * second reader never fails at once, and every numbered migration not yet applied, each in its own transaction.
 * First it checks the ledger (quick_check): a damaged one is refused with LedgerDamagedError, never written to.
 */
export function openLedger(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  // Before the native module loads: on a Node.js it was not built for, it crashes the process instead of throwing.
  assertLedgerRuntime();
  // Customers' names and addresses: readable by this user only (0600), the WAL and shared memory after it.
  prepareLedgerFiles(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // A checkpoint truncates the write-ahead log back to this size: a big stock cycle must not leave it at 50 MB for good.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    const findings = integrityProblems(db, 'quick');
    if (findings.length) throw new LedgerDamagedError(file, findings);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    // SQLite refusing to read a page (or the file) is damage too, whichever statement met it first.
    if (isDamage(error)) throw new LedgerDamagedError(file, [error.message]);
    throw error;
  }
}

export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const newest = Math.max(0, ...applied);
  const known = new Set(sorted.map((m) => m.version));
  for (const v of applied) {
    if (!known.has(v))
      throw new Error(`The ledger was written by a newer version of the console (migration ${v} unknown; newest known ${Math.max(0, ...known)})`);
  }
  const ran: number[] = [];
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    if (m.version < newest) throw new Error(`Migration ${m.version} (${m.name}) is older than the applied ${newest}: migrations are only ever appended`);
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
    ran.push(m.version);
  }
  return ran;
}
