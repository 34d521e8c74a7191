import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The data folder holds customers' names and addresses (the ledger), what the engine did (the log) and the settings:
 * on POSIX only its user may read it — the folder 0700, each file 0600 — whatever the process's umask, and files an
 * older version left readable by everyone are put right at start-up. On Windows the folder sits in the user's
 * profile, whose ACL already keeps other users out; POSIX modes mean nothing there, so nothing is changed.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const posix = process.platform !== 'win32';

/**
 * The data folder: created (with any missing parents, each 0700) and set to 0700 whatever it was. A folder every user
 * shares — one with the sticky bit, like /tmp — is refused rather than closed to the others who rely on it.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!posix) return;
  if (statSync(dir).mode & 0o1000) throw new Error(`${dir} is a folder every user shares: give the console a data folder of its own`);
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** A folder the engine writes into (the ledger's, the log's): created 0700 when missing, left as its owner set it otherwise. */
export function ensureDirCreatedPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Creates the file empty if it is missing (never truncating one that exists) and sets it to 0600, so whatever opens
 * it next — SQLite, the log, an editor — finds it private. SQLite gives its -wal and -shm files the main file's mode.
 */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  if (posix) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Sets each existing file to 0600; a missing one is skipped. */
export function makePrivate(...files: string[]): void {
  if (!posix) return;
  for (const file of files) if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * Writes the file whole through a temporary beside it (0600 from its first byte), then renames it into place: a
 * reader never sees half a file, and the contents are never readable by anyone else, even for a moment.
 */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp`;
  // A temporary a crash left behind keeps the mode it was created with: start afresh.
  rmSync(tmp, { force: true });
  writeFileSync(tmp, data, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  if (posix) chmodSync(tmp, PRIVATE_FILE_MODE);
  renameSync(tmp, file);
}

/** The ledger's companions SQLite creates beside it in WAL mode. */
export function ledgerFiles(ledgerFile: string): string[] {
  return [ledgerFile, `${ledgerFile}-wal`, `${ledgerFile}-shm`];
}

/** Mode bits (e.g. 0o600) of a file or folder, or null where it is missing. */
export function modeOf(file: string): number | null {
  return existsSync(file) ? statSync(file).mode & 0o777 : null;
}

/**
 * Makes the ledger (with its WAL and shared memory, where they exist) private before SQLite opens it; its folder is
 * created 0700 when missing (the host makes its data folder private; the engine never changes a folder it was given).
 */
export function prepareLedgerFiles(ledgerFile: string): void {
  if (ledgerFile === ':memory:' || ledgerFile === '') return;
  ensureDirCreatedPrivate(path.dirname(path.resolve(ledgerFile)));
  ensurePrivateFile(ledgerFile);
  makePrivate(...ledgerFiles(ledgerFile).slice(1));
}
