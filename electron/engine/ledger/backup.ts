import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, statfsSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openLedger, type Db } from './db';
import { checkFile, checkFileOffThread, isDamage } from './integrity';
import { MIGRATIONS } from './migrations';

/** Copies and the ledger they come from are for their user only: they hold customers' names and addresses. */
const OWNER_ONLY = 0o600;
/** A step of the engine's own backup: 1,024 pages (4 MB) take a few milliseconds, then the engine's other work goes on. */
export const PAGES_PER_STEP = 1_024;
/** Every page in one step: one read of a consistent ledger, for a process other than the engine (the CLI). */
export const ALL_PAGES = 0x7fff_ffff;
/**
 * Steps between flushes of the copy to disk, each on a thread of the I/O pool: SQLite flushes the copy when its last
 * step commits, and a few hundred megabytes left for then would hold the engine's thread while the disk takes them.
 */
const STEPS_PER_FLUSH = 8;

/** A backup's file name says when it was taken (UTC), so copies sort by name and a person reads the time off it. */
const BACKUP_NAME = /^ledger-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.db$/;

export function backupFileName(at: Date): string {
  const [date, time] = at.toISOString().slice(0, 19).split('T') as [string, string];
  return `ledger-${date.replace(/-/g, '')}-${time.replace(/:/g, '')}.db`;
}

/** The folder the engine's daily backups go to when settings.backup.folder is not set: beside the ledger. */
export const defaultBackupFolder = (ledgerFile: string) => path.join(path.dirname(ledgerFile), 'backups');

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  /** Copying (the backup API's steps) and checking the copy (integrity_check), and the whole. */
  copyMs: number;
  checkMs: number;
  ms: number;
  /** The check ran on the engine's own thread (a host whose worker threads cannot load SQLite). */
  checkedOnThread: boolean;
}

export interface BackupOptions {
  /** Pages a step copies; between steps the thread is free for other work (ALL_PAGES: one step). */
  pagesPerStep: number;
  /** Check the copy on a worker thread (the engine) or on this one (the CLI). */
  checkOffThread: boolean;
  /** Asked between steps: true abandons the copy. */
  shouldStop?: () => boolean;
  /** Aborted when the engine stops: the copy, or its check on the worker thread, is abandoned and removed. */
  signal?: AbortSignal;
  /** Bytes free for this user on the disk of a folder (statfs); replaced in tests. */
  freeBytes?: (folder: string) => number;
}

const MB = 1_048_576;

/**
 * Room a copy leaves on its disk: 64 MB and a tenth of the ledger more than the copy itself, so a backup into the
 * ledger's own folder (the default) never takes the last of the room the ledger needs to go on writing.
 */
export function roomNeeded(ledgerBytes: number): number {
  return ledgerBytes + 64 * MB + Math.ceil(ledgerBytes / 10);
}

const diskFree = (folder: string) => {
  const disk = statfsSync(folder);
  return disk.bavail * disk.bsize;
};

/**
 * Copies the ledger through SQLite's online backup API while it is in use: a page step at a time, the thread free
 * between steps. Writes made between steps through the same connection are carried into the copy; a write by another
 * connection restarts it, so a process other than the engine copies everything in one step (ALL_PAGES), a single read
 * that never holds up the engine's writes (WAL). The copy is written beside the target, readable by its user only,
 * made self-contained (no write-ahead log), checked with a full integrity_check, and only then renamed to the target:
 * a file with a backup's name is always a checked copy. A copy that fails its check is removed.
 */
export async function backupLedger(source: Db, target: string, options: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  if (existsSync(target)) throw new BackupError(`${target} already exists: a backup never replaces a file`);
  // A copy is as big as the ledger: said before it starts, rather than found when the disk is full under both.
  const ledgerBytes = (source.pragma('page_count', { simple: true }) as number) * (source.pragma('page_size', { simple: true }) as number);
  const free = (options.freeBytes ?? diskFree)(path.dirname(target));
  const needed = roomNeeded(ledgerBytes);
  if (free < needed)
    throw new BackupError(
      `Not enough room for a backup in ${path.dirname(target)}: a copy takes ${(ledgerBytes / MB).toFixed(1)} MB and the disk has ${(free / MB).toFixed(1)} MB free ` +
        `(${(needed / MB).toFixed(1)} MB needed, so the disk keeps room for the ledger to go on writing). Nothing was copied.`,
    );
  const partial = `${target}.partial`;
  const discard = () => {
    for (const f of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
  };
  discard();
  // Created first, for its user only: SQLite writes the pages into it (and its journal takes the same permissions).
  closeSync(openSync(partial, 'wx', OWNER_ONLY));
  chmodSync(partial, OWNER_ONLY);
  let handle: FileHandle | null = null;
  let flushing: Promise<void> | null = null;
  try {
    if (options.pagesPerStep < ALL_PAGES) handle = await open(partial, 'r+');
    let steps = 0;
    let flushedBeforeLast = false;
    const flush = (then?: () => void) =>
      (flushing ??= handle!.datasync().finally(() => {
        flushing = null;
        then?.();
      }));
    const copied = await source.backup(partial, {
      progress: ({ remainingPages }) => {
        if (options.shouldStop?.() || options.signal?.aborted) throw new BackupError('The backup was stopped before it finished (the engine is stopping)');
        if (!handle) return options.pagesPerStep;
        // The last step commits the copy, and SQLite waits for the disk then: the disk is given the rest first, and
        // meanwhile the steps copy nothing (the thread is free; each empty step is a turn of the event loop).
        if (remainingPages <= options.pagesPerStep && !flushedBeforeLast) {
          void flush(() => (flushedBeforeLast = true));
          return 0;
        }
        if (++steps % STEPS_PER_FLUSH === 0) void flush();
        return options.pagesPerStep;
      },
    });
    await flushing;
    await handle?.close();
    handle = null;
    const copyMs = performance.now() - started;
    // The copy made one file again (it carries the ledger's WAL mode) and checked, off the engine's thread where asked.
    const { findings, onThread } = options.checkOffThread
      ? await checkFileOffThread(partial, true, options.signal)
      : { findings: checkHere(partial, true), onThread: true };
    if (findings.length)
      throw new BackupError(`The copy failed its integrity check, so it was not kept (the ledger itself may be damaged): ${findings.slice(0, 5).join('; ')}`);
    renameSync(partial, target);
    const ms = performance.now() - started;
    return {
      file: target,
      bytes: statSync(target).size,
      pages: copied.totalPages,
      copyMs: Math.round(copyMs),
      checkMs: Math.round(ms - copyMs),
      ms: Math.round(ms),
      checkedOnThread: onThread,
    };
  } catch (error) {
    await (flushing as Promise<void> | null)?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    discard();
    throw error;
  }
}

/**
 * The CLI's backup: its own read-only connection to the ledger (the engine may be running on it), every page in one
 * step, the copy checked on this thread.
 */
export async function backupLedgerFile(ledgerFile: string, target: string): Promise<BackupResult> {
  if (!existsSync(ledgerFile)) throw new BackupError(`There is no ledger at ${ledgerFile} to back up`);
  const source = new Database(ledgerFile, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    return await backupLedger(source, target, { pagesPerStep: ALL_PAGES, checkOffThread: false });
  } finally {
    source.close();
  }
}

function checkHere(file: string, selfContained = false): string[] {
  try {
    return checkFile(file, selfContained);
  } catch (error) {
    if (isDamage(error)) return [error.message];
    throw error;
  }
}

export interface BackupFile {
  file: string;
  /** When it was taken, from its name. */
  at: string;
  bytes: number;
}

/** The backups in a folder (files named as the engine and the CLI name them), newest first; none when there is no folder. */
export function listBackups(folder: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const found: BackupFile[] = [];
  for (const name of names) {
    const m = BACKUP_NAME.exec(name);
    if (!m) continue;
    const file = path.join(folder, name);
    try {
      found.push({ file, at: `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`, bytes: statSync(file).size });
    } catch {
      // Removed meanwhile.
    }
  }
  return found.sort((a, b) => b.at.localeCompare(a.at));
}

/** Removes backups older than `keepDays`, never the newest; only files named as backups are touched. Returns what went. */
export function pruneBackups(folder: string, now: Date, keepDays: number): string[] {
  const cutoff = new Date(now.getTime() - keepDays * 86_400_000).toISOString();
  const [, ...older] = listBackups(folder);
  const removed: string[] = [];
  for (const b of older) {
    if (b.at >= cutoff) continue;
    rmSync(b.file, { force: true });
    removed.push(b.file);
  }
  return removed;
}

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

export interface RestoreResult {
  backup: string;
  /** The ledger's migration version in the backup, and after opening it with this console. */
  backupVersion: number;
  version: number;
  /** Where the ledger that was replaced went (with its write-ahead log, if it had one); empty when there was none. */
  keptAside: string[];
  ms: number;
}

/**
 * Puts a backup in place of the ledger: the backup is checked first (full integrity_check, and that this console can
 * read it), the engine must not be using the ledger, the ledger it replaces is renamed aside (never deleted), and the
 * backup is copied in (for its user only) and opened once, as the engine will open it (migrations, start-up check).
 */
export function restoreLedger(ledgerFile: string, backupFile: string, now: Date): RestoreResult {
  const started = performance.now();
  if (!existsSync(backupFile)) throw new RestoreError(`There is no backup at ${backupFile}`);
  const findings = checkHere(backupFile);
  if (findings.length)
    throw new RestoreError(
      `The backup ${backupFile} fails its integrity check, so it was not put in place (try an older one): ${findings.slice(0, 5).join('; ')}`,
    );
  const backupVersion = ledgerVersion(backupFile);
  if (inUse(ledgerFile))
    throw new RestoreError(
      `The ledger ${ledgerFile} is in use: an engine (the desktop app, the headless host or the sandbox) is running on it. Stop it, then restore.`,
    );

  const stamp = backupFileName(now).slice('ledger-'.length, -'.db'.length);
  const aside = `${ledgerFile}.before-restore-${stamp}`;
  const moved: [from: string, to: string][] = [];
  try {
    for (const suffix of ['', '-wal']) {
      if (!existsSync(ledgerFile + suffix)) continue;
      renameSync(ledgerFile + suffix, aside + suffix);
      chmodSync(aside + suffix, OWNER_ONLY);
      moved.push([ledgerFile + suffix, aside + suffix]);
    }
    // The WAL's index is rebuilt from the WAL whenever it is missing, and nothing has it open (checked above).
    rmSync(`${ledgerFile}-shm`, { force: true });
    const incoming = `${ledgerFile}.restoring`;
    rmSync(incoming, { force: true });
    copyFileSync(backupFile, incoming);
    chmodSync(incoming, OWNER_ONLY);
    const fd = openSync(incoming, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(incoming, ledgerFile);
    // Opened as the engine opens it: this console's migrations on an older backup, the start-up check.
    const db = openLedger(ledgerFile);
    const version = db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number;
    db.close();
    chmodSync(ledgerFile, OWNER_ONLY);
    return {
      backup: backupFile,
      backupVersion,
      version,
      keptAside: moved.filter(([from]) => !from.endsWith('-shm')).map(([, to]) => to),
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    // Back as it was: the ledger that was there returns to its name.
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(ledgerFile + suffix, { force: true });
    rmSync(`${ledgerFile}.restoring`, { force: true });
    for (const [from, to] of moved) renameSync(to, from);
    throw error;
  }
}

/** The newest migration the file's ledger has had; refuses a file that is not a ledger or was written by a newer console. */
function ledgerVersion(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasMigrations = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").pluck().get() === 1;
    if (!hasMigrations) throw new RestoreError(`${file} is an SQLite file but not a ledger (it has no schema_migrations table)`);
    const version = (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
    const newest = Math.max(...MIGRATIONS.map((m) => m.version));
    if (version > newest)
      throw new RestoreError(`The backup ${file} was taken by a newer version of the console (ledger version ${version}; this one knows up to ${newest})`);
    return version;
  } finally {
    db.close();
  }
}

/**
 * Whether another connection has the ledger open: an exclusive lock is refused while any engine holds it. A file SQLite
 * cannot read at all is not in use (no engine starts on a damaged ledger). No file, nothing in use.
 */
function inUse(ledgerFile: string): boolean {
  if (!existsSync(ledgerFile)) return false;
  let db: Db | null = null;
  try {
    db = new Database(ledgerFile, { fileMustExist: true });
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    if (isDamage(error)) return false;
    throw error;
  } finally {
    db?.close();
  }
}
