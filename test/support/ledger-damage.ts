import { closeSync, openSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Damages a ledger the way a failing disk or a power cut mid-write does: the first page of a table's b-tree (its root,
 * found by name) overwritten with bytes that are no SQLite page. The file still opens; reading that table fails.
 */
export function damageTable(file: string, table = 'runs'): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, (root - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}
