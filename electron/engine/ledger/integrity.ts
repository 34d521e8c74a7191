import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Db } from './db';

/** How many of SQLite's findings a message quotes: the first few say what is wrong; hundreds say nothing more. */
const FINDINGS_QUOTED = 10;

/**
 * What SQLite finds wrong with a ledger: nothing ([]) when it is sound. `quick` (PRAGMA quick_check) reads every page
 * and checks each b-tree's structure without comparing indexes with their tables: a few seconds on a large ledger, so
 * it runs at every start. `full` (integrity_check) compares those too: it checks a backup before it counts.
 */
export function integrityProblems(db: Db, kind: 'quick' | 'full'): string[] {
  const rows = db.pragma(`${kind === 'quick' ? 'quick_check' : 'integrity_check'}(${FINDINGS_QUOTED})`, { simple: false }) as Record<string, string>[];
  const findings = parseFindings(rows.map((r) => String(Object.values(r)[0])));
  return findings.length ? namedTrees(db, findings) : [];
}

/** SQLite's answer, a line a finding ('ok' alone: none), without its "*** in database main ***" headings. */
function parseFindings(rows: readonly string[]): string[] {
  const findings = rows.flatMap((r) => r.split('\n')).filter((f) => f && !f.startsWith('***'));
  return findings.length === 1 && findings[0] === 'ok' ? [] : findings;
}

/** SQLite names a damaged b-tree by its root page ("Tree 3 page 3: …"): the table or index it is, where that can still be read. */
function namedTrees(db: Db, findings: string[]): string[] {
  let names: Map<number, string>;
  try {
    const roots = db.prepare('SELECT type, name, rootpage FROM sqlite_master WHERE rootpage > 0').all() as { type: string; name: string; rootpage: number }[];
    names = new Map(roots.map((r) => [r.rootpage, `${r.type} ${r.name}`]));
  } catch {
    return findings;
  }
  return findings.map((f) => f.replace(/^Tree (\d+)/, (tree, root: string) => (names.has(Number(root)) ? `${tree} (${names.get(Number(root))})` : tree)));
}

/** SQLite's codes for a file that is not a sound database (SQLITE_CORRUPT and its kinds, SQLITE_NOTADB). */
export function isDamage(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * The ledger failed its check at start-up (or SQLite refused to read it). The engine never writes to it: a write on
 * a damaged b-tree can spread the damage to pages that were sound. The way back is a backup (docs/ledger.md).
 */
export class LedgerDamagedError extends Error {
  constructor(
    readonly file: string,
    readonly findings: readonly string[],
    /** The newest backup the engine knows of, when it knows one: named in the message. */
    readonly newestBackup: { file: string; at: string } | null = null,
  ) {
    super(damagedMessage(file, findings, newestBackup));
    this.name = 'LedgerDamagedError';
  }

  withBackup(newest: { file: string; at: string } | null): LedgerDamagedError {
    return new LedgerDamagedError(this.file, this.findings, newest);
  }
}

function damagedMessage(file: string, findings: readonly string[], newest: { file: string; at: string } | null): string {
  return [
    `The ledger ${file} is damaged. SQLite's check of it found:`,
    ...findings.map((f) => `  ${f}`),
    'The engine does not write to a damaged ledger, so it has not started: sync is stopped until the ledger is restored.',
    newest
      ? `The newest backup is ${newest.file} (taken ${newest.at}).`
      : 'No backup was found in the backup folder: look for one where backups are kept (settings.backup.folder).',
    'To restore it, with the console stopped: npm run engine -- restore --config <your configuration file> --from <backup file>',
    '(the damaged ledger is kept beside it, renamed; the handbook page docs/ledger.md says what happens next).',
  ].join('\n');
}

/** A Worker's script: the full check of one file, on a thread of its own (CommonJS, as `node -e` runs it). */
const CHECK_IN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
try {
  const Database = require(workerData.module);
  const db = new Database(workerData.file, { readonly: !workerData.selfContained, fileMustExist: true });
  try {
    if (workerData.selfContained) db.pragma('journal_mode = DELETE');
    const rows = db.pragma('integrity_check(${FINDINGS_QUOTED})', { simple: false });
    parentPort.postMessage({ findings: rows.map((r) => String(Object.values(r)[0])) });
  } finally {
    db.close();
  }
} catch (error) {
  parentPort.postMessage({ error: { code: error && error.code, message: String(error && error.message) } });
}
`;

/**
 * Runs the full check of a file on this thread (the CLI's way: nothing else waits for it), read-only; or, for a fresh
 * backup (`selfContained`), first turns its write-ahead-log mode (copied from the ledger's header) back to a rollback
 * journal, so the copy is one file.
 */
export function checkFile(file: string, selfContained = false): string[] {
  const db = new Database(file, { readonly: !selfContained, fileMustExist: true });
  try {
    if (selfContained) db.pragma('journal_mode = DELETE');
    return integrityProblems(db, 'full');
  } finally {
    db.close();
  }
}

/** The full check on this thread, a file SQLite cannot read at all being one more finding. */
function checkHere(file: string, selfContained: boolean): string[] {
  try {
    return checkFile(file, selfContained);
  } catch (error) {
    if (isDamage(error)) return [error.message];
    throw error;
  }
}

type WorkerAnswer = { findings: string[] } | { error: { code?: string; message: string } };

/**
 * The full check of a copy on a worker thread, so the engine's own thread answers the console meanwhile (a check of a
 * few hundred megabytes takes seconds, and making a fresh copy self-contained waits for the disk to take it all). Where a worker cannot load the SQLite module (a host that does not let worker
 * threads load native modules), the check runs on this thread instead, and `onThread` says so.
 */
export function checkFileOffThread(file: string, selfContained = false, signal?: AbortSignal): Promise<{ findings: string[]; onThread: boolean }> {
  const here = (): { findings: string[]; onThread: boolean } => ({ findings: checkHere(file, selfContained), onThread: true });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (answer: () => { findings: string[]; onThread: boolean }) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abandon);
      try {
        resolve(answer());
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    let worker: Worker;
    try {
      worker = new Worker(CHECK_IN_WORKER, {
        eval: true,
        workerData: { file, selfContained, module: createRequire(import.meta.url).resolve('better-sqlite3') },
      });
    } catch {
      return settle(here);
    }
    worker.once('message', (m: WorkerAnswer) => {
      if ('findings' in m) settle(() => ({ findings: parseFindings(m.findings), onThread: false }));
      // The copy itself could not be read: that is the answer. Anything else is the worker, not the copy.
      else if (isDamage(m.error)) settle(() => ({ findings: [m.error.message], onThread: false }));
      else settle(here);
    });
    worker.once('error', () => settle(here));
    worker.once('exit', () => settle(here));
    // Asked to stop (the engine is stopping): the check of a large copy is not waited for.
    function abandon() {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(new Error('The check was abandoned: the engine is stopping'));
    }
    if (signal?.aborted) abandon();
    else signal?.addEventListener('abort', abandon, { once: true });
  });
}
