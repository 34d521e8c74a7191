import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openLedger, migrate } from '../../electron/engine/ledger/db';
import { createLedger } from '../../electron/engine/ledger';
import { MIGRATIONS } from '../../electron/engine/ledger/migrations';
import { tempDir } from '../support/ports';

const tmp = tempDir('ledger-test-');
afterAll(() => tmp.cleanup());

describe('ledger', () => {
  it('creates a WAL database on a file and applies each migration once', () => {
    const file = tmp.file('a.db');
    const db = openLedger(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
    const again = openLedger(file);
    expect(migrate(again, MIGRATIONS)).toEqual([]);
    again.close();
  });

  it('applies a new numbered migration on top of an existing ledger and keeps its rows', () => {
    const file = tmp.file('b.db');
    const ledger = createLedger(file);
    ledger.runs.start('stock', 'manual', new Date('2026-11-26T09:00:00Z'), false);
    ledger.close();
    const db = openLedger(file, [...MIGRATIONS, { version: 999, name: 'test-extra', sql: 'CREATE TABLE extra (id INTEGER PRIMARY KEY)' }]);
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").pluck().get()).toBe(1);
    db.close();
  });

  it('refuses a ledger written by a newer console instead of corrupting it', () => {
    const file = tmp.file('c.db');
    const raw = new Database(file);
    raw.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES (9999, 'future', '2027-01-01')",
    );
    raw.close();
    expect(() => openLedger(file)).toThrow(/newer version of the console/);
  });

  it('rolls back a migration that fails half-way, leaving the ledger as it was', () => {
    const file = tmp.file('d.db');
    expect(() =>
      openLedger(file, [...MIGRATIONS, { version: 50, name: 'broken', sql: 'CREATE TABLE half (id INTEGER); SELECT * FROM no_such_table;' }]),
    ).toThrow();
    const db = new Database(file);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    db.close();
  });

  it('keeps one live exception per problem and record, counting occurrences, with every move audited', () => {
    const ledger = createLedger(tmp.file('e.db'));
    const at = new Date('2026-11-26T09:00:00Z');
    const input = {
      flow: 'stock' as const,
      type: 'sku-unknown',
      severity: 'error' as const,
      record: { type: 'sku', key: 'JL-1001' },
      summary: 'The marketplace has no offer for SKU JL-1001',
      rawError: 'Line 2: The offer with sku JL-1001 does not exist',
      suggestedAction: 'Create the offer on the marketplace or remove the SKU mapping',
    };
    const first = ledger.exceptions.raise(input, at);
    const second = ledger.exceptions.raise(input, new Date('2026-11-26T09:05:00Z'));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.exception.id).toBe(first.exception.id);
    expect(second.exception.occurrences).toBe(2);
    ledger.exceptions.transition(first.exception.id, 'dismissed', 'dismiss', 'Priya', at, { reason: 'SKU discontinued' });
    // Dismissed stays dismissed while the record is unchanged (or its version unknown): counted, quiet.
    const third = ledger.exceptions.raise({ ...input, recordVersion: 'figure 4' }, at);
    expect(third).toMatchObject({ created: false, quiet: true, exception: { id: first.exception.id, state: 'dismissed', occurrences: 3 } });
    expect(ledger.exceptions.raise({ ...input, recordVersion: 'figure 4' }, at)).toMatchObject({ quiet: true });
    // The record changed: the same exception reopens, audited as the engine's.
    const fourth = ledger.exceptions.raise({ ...input, recordVersion: 'figure 7' }, at);
    expect(fourth).toMatchObject({ created: false, reopened: true, quiet: false, exception: { id: first.exception.id, state: 'open' } });
    const detail = ledger.exceptions.detail(first.exception.id);
    expect(detail.actions.map((a) => [a.action, a.actor, a.reason])).toEqual([
      ['raised', 'engine', null],
      ['dismiss', 'Priya', 'SKU discontinued'],
      ['reopen', 'engine', 'The record changed after the exception was dismissed'],
    ]);
    expect(detail.actions[1]!.before).toEqual({ state: 'open' });
    expect(detail.actions[1]!.after).toEqual({ state: 'dismissed' });
    expect(detail.actions[2]!.after).toEqual({ state: 'open', recordVersion: 'figure 7' });
    expect(ledger.exceptions.list({ state: 'open', limit: 10, offset: 0 }).total).toBe(1);
    expect(ledger.exceptions.list({ search: 'JL-1001', limit: 10, offset: 0 }).total).toBe(1);
    expect(ledger.exceptions.list({ search: '100%', limit: 10, offset: 0 }).total).toBe(0);
    ledger.close();
  });

  it('marks runs left running by a crash as interrupted', () => {
    const file = tmp.file('f.db');
    const ledger = createLedger(file);
    ledger.runs.start('orders', 'schedule', new Date('2026-11-26T09:00:00Z'), false);
    ledger.close();
    const reopened = createLedger(file);
    expect(reopened.runs.markInterrupted(new Date('2026-11-26T09:10:00Z'))).toBe(1);
    expect(reopened.runs.last('orders')?.outcome).toBe('interrupted');
    expect(reopened.runs.failureStreak('orders')).toBe(1);
    reopened.close();
  });

  it('lists runs newest first a page at a time, of one flow or one outcome, for the Runs screen', () => {
    const ledger = createLedger(tmp.file('g.db'));
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 9, minute));
    for (let i = 0; i < 7; i++) {
      const run = ledger.runs.start(i % 2 ? 'stock' : 'orders', 'schedule', at(i), false);
      ledger.runs.finish(run.id, i === 3 ? 'failed' : 'succeeded', at(i), {}, i === 3 ? 'SAP did not answer' : null);
    }
    expect(ledger.runs.list({ limit: 3 }).map((r) => r.id)).toEqual([7, 6, 5]);
    expect(ledger.runs.list({ limit: 3, offset: 3 }).map((r) => r.id)).toEqual([4, 3, 2]);
    expect(ledger.runs.list({ limit: 3, offset: 6 }).map((r) => r.id)).toEqual([1]);
    expect(ledger.runs.list({ flow: 'stock', limit: 2, offset: 1 }).map((r) => r.id)).toEqual([4, 2]);
    expect(ledger.runs.list({ outcome: 'failed', limit: 50 }).map((r) => [r.id, r.error])).toEqual([[4, 'SAP did not answer']]);
    // The Runs screen leaves a flow out (the health checks) and still pages through the rest.
    expect(ledger.runs.list({ exceptFlows: ['stock'], limit: 2, offset: 1 }).map((r) => r.id)).toEqual([5, 3]);
    ledger.close();
  });
});
