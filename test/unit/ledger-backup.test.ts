import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import { createLedger } from '../../electron/engine/ledger';
import { openLedger } from '../../electron/engine/ledger/db';
import {
  ALL_PAGES,
  backupFileName,
  backupLedger,
  backupLedgerFile,
  listBackups,
  pruneBackups,
  restoreLedger,
  roomNeeded,
} from '../../electron/engine/ledger/backup';
import { checkFileOffThread, LedgerDamagedError } from '../../electron/engine/ledger/integrity';
import { BACKUPS, ledgerBackups } from '../../electron/engine/ledger-backups';
import { fakeClock } from '../../electron/engine/clock';
import { memoryLogger } from '../../electron/engine/logging';
import { DEFAULT_BACKUP_SETTINGS } from '../../shared/domain/ledger-backup';
import { MIGRATIONS } from '../../electron/engine/ledger/migrations';
import { tempDir, testPorts } from '../support/ports';
import { damageTable } from '../support/ledger-damage';

const tmp = tempDir('ledger-backup-test-');
afterAll(() => tmp.cleanup());
const HOUR = 3_600_000;
const newest = Math.max(...MIGRATIONS.map((m) => m.version));
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const mode = (file: string) => statSync(file).mode & 0o777;

/** A ledger with a few thousand runs in it: several hundred pages, so a backup takes many steps. */
function filledLedger(name: string, runs = 3_000) {
  const file = tmp.file(name);
  mkdirSync(path.dirname(file), { recursive: true });
  const ledger = createLedger(file);
  const at = new Date('2026-11-26T09:00:00Z');
  ledger.db.transaction(() => {
    for (let i = 0; i < runs; i++) ledger.runs.finish(ledger.runs.start('stock', 'schedule', at, false).id, 'succeeded', at, { sent: i }, null);
  })();
  return { file, ledger };
}

const count = (file: string, table = 'runs') => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
};

describe('ledger backup', () => {
  it('copies the ledger a few pages a step while the engine goes on writing; the copy holds every write, is checked and is for its user only', async () => {
    const { ledger } = filledLedger('writing.db');
    const target = tmp.file('backups/writing-copy.db');
    let steps = 0;
    // Between steps the thread is free: the engine writes on, through the same connection (here, one run a step).
    const result = await backupLedger(ledger.db, target, {
      pagesPerStep: 8,
      checkOffThread: true,
      shouldStop: () => {
        steps++;
        ledger.runs.start('orders', 'schedule', new Date(), false);
        return false;
      },
    });
    expect(steps).toBeGreaterThan(10);
    expect(result).toMatchObject({ file: target, checkedOnThread: false });
    expect(result.bytes).toBe(statSync(target).size);
    expect(mode(target)).toBe(0o600);
    expect(mode(path.dirname(target))).toBe(0o700);
    // One self-contained file: no write-ahead log beside it, no partial left.
    expect(readdirSync(path.dirname(target))).toEqual(['writing-copy.db']);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    // Every write made while it was being copied is in it.
    expect(copy.prepare("SELECT count(*) FROM runs WHERE flow = 'orders'").pluck().get()).toBe(steps);
    copy.close();
    ledger.close();
  });

  it('from the CLI, copies the ledger of a running engine in one read that never holds the engine up', async () => {
    const { file, ledger } = filledLedger('cli.db');
    const target = tmp.file('cli-copy.db');
    const result = await backupLedgerFile(file, target);
    // The engine writes on: its ledger is not locked by the copy that was taken.
    ledger.runs.start('orders', 'schedule', new Date(), false);
    ledger.close();
    expect(result.checkedOnThread).toBe(true);
    expect(count(target)).toBe(3_000);
    expect(mode(target)).toBe(0o600);
    // A backup never replaces a file.
    await expect(backupLedgerFile(file, target)).rejects.toThrow(/already exists/);
  });

  it('never reports the copy of a damaged ledger as a backup: the check fails and nothing is left behind', async () => {
    const { file, ledger } = filledLedger('damaged-source.db');
    ledger.close();
    damageTable(file);
    const folder = tmp.file('damaged-backups');
    await expect(backupLedgerFile(file, path.join(folder, 'copy.db'))).rejects.toThrow(/failed its integrity check.*Tree \d+ \(table runs\)/s);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('says before copying when the disk has no room for a copy and room left for the ledger, and copies nothing', async () => {
    const { ledger } = filledLedger('room/ledger.db');
    const folder = tmp.file('room/backups');
    const ledgerBytes = (ledger.db.pragma('page_count', { simple: true }) as number) * (ledger.db.pragma('page_size', { simple: true }) as number);
    const tight = roomNeeded(ledgerBytes) - 1;
    await expect(
      backupLedger(ledger.db, path.join(folder, 'ledger-a.db'), { pagesPerStep: 64, checkOffThread: false, freeBytes: () => tight }),
    ).rejects.toThrow(
      /^Not enough room for a backup in .*room[/\\]backups: a copy takes [\d.]+ MB and the disk has [\d.]+ MB free \([\d.]+ MB needed, so the disk keeps room for the ledger to go on writing\)\. Nothing was copied\.$/,
    );
    expect(readdirSync(folder)).toEqual([]);
    // With exactly the room it needs, the copy is made.
    const made = await backupLedger(ledger.db, path.join(folder, 'ledger-b.db'), { pagesPerStep: 64, checkOffThread: false, freeBytes: () => tight + 1 });
    expect(readdirSync(folder)).toEqual(['ledger-b.db']);
    expect(made.bytes).toBe(ledgerBytes);
    ledger.close();
  });

  it('keeps the daily copies of the last keepDays days and always the newest; other files in the folder are left alone', () => {
    const folder = tmp.file('prune');
    mkdirSync(folder);
    const now = new Date('2026-11-30T03:00:00Z');
    for (const daysAgo of [0, 1, 13, 15, 40]) writeFileSync(path.join(folder, backupFileName(new Date(now.getTime() - daysAgo * 24 * HOUR))), 'x');
    writeFileSync(path.join(folder, 'notes.txt'), 'kept');
    writeFileSync(path.join(folder, 'ledger-old-manual.db'), 'kept');
    const removed = pruneBackups(folder, now, 14);
    expect(removed.map((f) => path.basename(f))).toEqual(['ledger-20261115-030000.db', 'ledger-20261021-030000.db']);
    expect(listBackups(folder).map((b) => b.at)).toEqual(['2026-11-30T03:00:00.000Z', '2026-11-29T03:00:00.000Z', '2026-11-17T03:00:00.000Z']);
    expect(readdirSync(folder)).toContain('notes.txt');
    // Alone, however old, the newest stays.
    const lone = tmp.file('prune-lone');
    mkdirSync(lone);
    writeFileSync(path.join(lone, backupFileName(new Date('2025-01-01T00:00:00Z'))), 'x');
    expect(pruneBackups(lone, now, 14)).toEqual([]);
  });
});

describe('ledger check at start-up', () => {
  it('refuses a damaged ledger: says what SQLite found, that the engine will not write to it, and names the newest backup; the file is left as it was', () => {
    const { file, ledger } = filledLedger('startup/ledger.db');
    ledger.close();
    const folder = tmp.file('startup/backups');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'ledger-20261129-021000.db'), 'an older one');
    writeFileSync(path.join(folder, 'ledger-20261130-021000.db'), 'the newest');
    damageTable(file);
    const before = sha(file);
    let refused: unknown;
    try {
      createEngine(testPorts(), { ledgerFile: file, buildFlows: () => [] });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(LedgerDamagedError);
    const message = (refused as Error).message;
    expect(message).toContain(`The ledger ${file} is damaged`);
    expect(message).toMatch(/Tree \d+ \(table runs\) page \d+/);
    expect(message).toContain('The engine does not write to a damaged ledger');
    expect(message).toContain(`The newest backup is ${path.join(folder, 'ledger-20261130-021000.db')} (taken 2026-11-30T02:10:00.000Z)`);
    expect(message).toContain('npm run engine -- restore --config');
    expect(sha(file)).toBe(before);
  });

  it('a missing ledger is started empty, and the log names the newest backup to go back to', async () => {
    const dir = tmp.file('missing');
    mkdirSync(path.join(dir, 'backups'), { recursive: true });
    writeFileSync(path.join(dir, 'backups', 'ledger-20261130-021000.db'), 'a backup');
    const ports = testPorts();
    const engine = createEngine(ports, { ledgerFile: path.join(dir, 'ledger.db'), buildFlows: () => [] });
    expect(ports.logger.lines.find((l) => l.level === 'warn' && l.message.startsWith('There was no ledger'))?.fields).toMatchObject({
      newestBackup: path.join(dir, 'backups', 'ledger-20261130-021000.db'),
    });
    await engine.stop();
  });

  it('refuses a file that is no SQLite database at all', () => {
    const file = tmp.file('garbage.db');
    writeFileSync(file, Buffer.alloc(16_384, 0x42));
    expect(() => openLedger(file)).toThrow(LedgerDamagedError);
    expect(() => openLedger(file)).toThrow(/file is not a database/);
  });
});

describe('ledger restore', () => {
  it('puts a checked backup in place of a damaged ledger, keeps the damaged one aside, and the engine opens it with every row', async () => {
    const dir = tmp.file('restore');
    mkdirSync(dir);
    const ledgerFile = path.join(dir, 'ledger.db');
    const ledger = createLedger(ledgerFile);
    ledger.runs.start('orders', 'manual', new Date('2026-11-30T08:00:00Z'), false);
    const backup = path.join(dir, 'backups', backupFileName(new Date('2026-11-30T08:05:00Z')));
    await backupLedger(ledger.db, backup, { pagesPerStep: ALL_PAGES, checkOffThread: false });
    ledger.close();
    damageTable(ledgerFile);
    const damaged = sha(ledgerFile);

    const result = restoreLedger(ledgerFile, backup, new Date('2026-11-30T09:00:00Z'));
    expect(result).toMatchObject({ backup, backupVersion: newest, version: newest, keptAside: [`${ledgerFile}.before-restore-20261130-090000`] });
    // Renamed, not deleted: the damaged file is there as it was.
    expect(sha(`${ledgerFile}.before-restore-20261130-090000`)).toBe(damaged);
    expect(mode(ledgerFile)).toBe(0o600);
    const engine = createEngine(testPorts(), { ledgerFile, buildFlows: () => [] });
    expect((await engine.query('runs.list', {})).map((r) => r.flow)).toEqual(['orders']);
    await engine.stop();
  });

  it('refuses a damaged backup, a file that is no ledger, one from a newer console, and a ledger an engine is running on; the ledger stays as it was', () => {
    const dir = tmp.file('refusals');
    mkdirSync(dir);
    const ledgerFile = path.join(dir, 'ledger.db');
    const ledger = createLedger(ledgerFile);
    ledger.runs.start('orders', 'manual', new Date(), false);

    const good = filledLedger('refusals-good.db', 10);
    good.ledger.close();
    const damaged = filledLedger('refusals-damaged.db');
    damaged.ledger.close();
    damageTable(damaged.file);
    const notLedger = tmp.file('refusals-other.db');
    new Database(notLedger).exec('CREATE TABLE t (x)');
    const newer = filledLedger('refusals-newer.db', 1);
    newer.ledger.db.prepare("INSERT INTO schema_migrations VALUES (9999, 'from the future', '2027-01-01')").run();
    newer.ledger.close();

    const now = new Date();
    expect(() => restoreLedger(ledgerFile, damaged.file, now)).toThrow(/fails its integrity check, so it was not put in place/);
    expect(() => restoreLedger(ledgerFile, notLedger, now)).toThrow(/not a ledger/);
    expect(() => restoreLedger(ledgerFile, newer.file, now)).toThrow(/newer version of the console/);
    expect(() => restoreLedger(ledgerFile, tmp.file('missing.db'), now)).toThrow(/There is no backup at/);
    // The engine has the ledger open.
    expect(() => restoreLedger(ledgerFile, good.file, now)).toThrow(/is in use: an engine .* is running on it\. Stop it, then restore/);
    expect(ledger.db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
    expect(readdirSync(dir).filter((f) => f.includes('before-restore'))).toEqual([]);
    ledger.close();
  });

  it('restores where the ledger was deleted', () => {
    const dir = tmp.file('deleted');
    mkdirSync(dir);
    const good = filledLedger('deleted-good.db', 5);
    good.ledger.close();
    const result = restoreLedger(path.join(dir, 'ledger.db'), good.file, new Date());
    expect(result.keptAside).toEqual([]);
    expect(count(path.join(dir, 'ledger.db'))).toBe(5);
  });
});

describe("the engine's daily backup", () => {
  async function until<T>(what: string, get: () => T | null | undefined | false): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const value = get();
      if (value) return value;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`never: ${what}`);
  }

  it('takes a checked backup ten minutes after the start, then one a day, keeps keepDays of them, and shows them for the Overview', async () => {
    const dir = tmp.file('daily');
    mkdirSync(dir);
    const ports = testPorts({ backup: { enabled: true, folder: null, keepDays: 3 } });
    const engine = createEngine(ports, { ledgerFile: path.join(dir, 'ledger.db'), buildFlows: () => [] });
    engine.ledger.runs.start('orders', 'manual', new Date(ports.clock.now()), false);
    engine.start();
    const folder = path.join(dir, 'backups');
    const first = await engine.query('ledger.backup', {});
    expect(first).toMatchObject({ enabled: true, folder, keepDays: 3, last: null, failure: null, backups: [] });
    expect(first.nextCheckAt).toBe(new Date(ports.clock.now() + BACKUPS.firstAfterMs).toISOString());

    await ports.clock.advance(BACKUPS.firstAfterMs);
    const taken = await until('the first backup', () =>
      engine.ledger.db.prepare("SELECT value FROM maintenance_state WHERE key = 'ledger-backup'").pluck().get(),
    );
    expect(JSON.parse(taken as string).failure).toBeNull();
    const status = await engine.query('ledger.backup', {});
    expect(status.last).toMatchObject({ at: new Date(ports.clock.now()).toISOString(), file: path.join(folder, backupFileName(new Date(ports.clock.now()))) });
    expect(status.backups).toHaveLength(1);
    expect(count(status.last!.file)).toBe(1);
    expect(mode(status.last!.file)).toBe(0o600);

    // Hourly looks: nothing new until the last is a day old.
    await ports.clock.advance(12 * HOUR);
    expect(listBackups(folder)).toHaveLength(1);
    // Five more days: one a day at the same time, three days kept (and the newest).
    const lastAt = () => engine.ledger.db.prepare("SELECT value FROM maintenance_state WHERE key = 'ledger-backup'").pluck().get() as string;
    for (let day = 1; day <= 5; day++) {
      const before = lastAt();
      await ports.clock.advance(24 * HOUR);
      await until(`day ${day}'s backup`, () => lastAt() !== before);
    }
    expect(listBackups(folder).map((b) => b.at)).toEqual([
      '2026-12-01T09:10:00.000Z',
      '2026-11-30T09:10:00.000Z',
      '2026-11-29T09:10:00.000Z',
      '2026-11-28T09:10:00.000Z',
    ]);
    await engine.stop();
  });

  it('a backup that fails raises an exception on the ledger and alerts once; the next good one closes it', async () => {
    const dir = tmp.file('failing');
    mkdirSync(dir);
    // The folder named is a file: nothing can be written into it.
    const blocked = path.join(dir, 'not-a-folder');
    writeFileSync(blocked, 'a file');
    const ports = testPorts({ backup: { enabled: true, folder: blocked, keepDays: 14 } });
    const engine = createEngine(ports, { ledgerFile: path.join(dir, 'ledger.db'), buildFlows: () => [] });
    engine.start();
    await ports.clock.advance(BACKUPS.firstAfterMs);
    const failing = await until('the exception', () => engine.ledger.exceptions.live('health', 'ledger-backup-failed')[0]);
    expect(failing).toMatchObject({ severity: 'error', category: 'technical', record: { type: 'ledger', key: 'backup' } });
    expect(failing.summary).toContain(`The ledger's daily backup into ${blocked} failed (there is no backup yet)`);
    expect(failing.rawError).toMatch(/EEXIST|ENOTDIR/);
    expect(ports.notifications.filter((n) => n.title === 'Ledger backup failed')).toHaveLength(1);
    expect((await engine.query('ledger.backup', {})).failure).toMatchObject({ error: failing.rawError });

    // Tried again each hour: the same exception, counted, no second alert.
    await ports.clock.advance(BACKUPS.checkEveryMs);
    await until('a second attempt', () => engine.ledger.exceptions.get(failing.id).occurrences === 2);
    expect(ports.notifications.filter((n) => n.title === 'Ledger backup failed')).toHaveLength(1);

    // IT points it at a folder that works: the next look takes a backup and closes the exception.
    await ports.settings.update({ backup: { folder: path.join(dir, 'backups') } });
    await ports.clock.advance(BACKUPS.checkEveryMs);
    await until('resolved', () => engine.ledger.exceptions.get(failing.id).state === 'resolved');
    expect(existsSync(path.join(dir, 'backups'))).toBe(true);
    expect((await engine.query('ledger.backup', {})).failure).toBeNull();
    await engine.stop();
  });

  it('stopping the engine abandons a backup under way, copy or check, and leaves no partial copy and no failure', async () => {
    const { file, ledger } = filledLedger('stopping/ledger.db');
    const backups = ledgerBackups({
      ledger,
      ledgerFile: file,
      clock: fakeClock(),
      logger: memoryLogger(),
      settings: () => DEFAULT_BACKUP_SETTINGS,
      exceptionChanged: () => undefined,
    });
    const taking = backups.backUpNow();
    await backups.stop();
    expect(await taking).toBeNull();
    expect(readdirSync(path.join(path.dirname(file), 'backups'))).toEqual([]);
    expect(backups.status()).toMatchObject({ last: null, failure: null });
    expect(ledger.exceptions.countOpen()).toBe(0);
    ledger.close();

    // The check of a copy on its worker thread is not waited for either.
    const stop = new AbortController();
    const checking = checkFileOffThread(file, false, stop.signal);
    stop.abort();
    await expect(checking).rejects.toThrow(/abandoned: the engine is stopping/);
  });

  it('is off when settings.backup.enabled is false', async () => {
    const dir = tmp.file('off');
    mkdirSync(dir);
    const ports = testPorts({ backup: { enabled: false, folder: null, keepDays: 14 } });
    const engine = createEngine(ports, { ledgerFile: path.join(dir, 'ledger.db'), buildFlows: () => [] });
    engine.start();
    await ports.clock.advance(2 * 24 * HOUR);
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(path.join(dir, 'backups'))).toBe(false);
    expect(await engine.query('ledger.backup', {})).toMatchObject({ enabled: false, nextCheckAt: null, last: null });
    await engine.stop();
  });
});
