import type { Db } from './db';
import type { MarketplaceCallStore } from '../connectors/john-lewis/store';

/**
 * The marketplace connector's call windows and daily reads, kept in the ledger per connection (`scope`: the
 * seller API address and shop), so a restarted engine knows what it already spent. A few small rows per
 * operation; never more than the operations there are.
 */
export function ledgerCallStore(db: Db, scope: string, now: () => number): MarketplaceCallStore {
  const readWindow = db.prepare('SELECT calls, paused_until AS pausedUntil FROM marketplace_call_windows WHERE scope = ? AND operation = ?');
  const writeWindow = db.prepare(
    `INSERT INTO marketplace_call_windows (scope, operation, calls, paused_until, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (scope, operation) DO UPDATE SET calls = excluded.calls, paused_until = excluded.paused_until, updated_at = excluded.updated_at`,
  );
  const readDaily = db.prepare('SELECT read_at AS readAt, body FROM marketplace_daily_reads WHERE scope = ? AND name = ?');
  const writeDaily = db.prepare(
    `INSERT INTO marketplace_daily_reads (scope, name, read_at, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (scope, name) DO UPDATE SET read_at = excluded.read_at, body = excluded.body`,
  );
  return {
    window(operation) {
      const row = readWindow.get(scope, operation) as { calls: string; pausedUntil: number | null } | undefined;
      if (!row) return { calls: [], pausedUntil: null };
      const calls = JSON.parse(row.calls) as unknown;
      return { calls: Array.isArray(calls) ? calls.filter((t): t is number => typeof t === 'number') : [], pausedUntil: row.pausedUntil };
    },
    saveWindow(operation, window) {
      writeWindow.run(scope, operation, JSON.stringify(window.calls), window.pausedUntil, new Date(now()).toISOString());
    },
    daily(name) {
      const row = readDaily.get(scope, name) as { readAt: number; body: string } | undefined;
      return row ? { readAt: row.readAt, body: JSON.parse(row.body) as unknown } : null;
    },
    saveDaily(name, read) {
      writeDaily.run(scope, name, read.readAt, JSON.stringify(read.body));
    },
    // A finding is one small row beside the daily reads (its own name space), so it needs no table of its own.
    finding(name) {
      const row = readDaily.get(scope, `finding:${name}`) as { readAt: number; body: string } | undefined;
      if (!row) return null;
      const body = JSON.parse(row.body) as { until?: unknown; detail?: unknown };
      return typeof body.until === 'number' ? { since: row.readAt, until: body.until, detail: typeof body.detail === 'string' ? body.detail : '' } : null;
    },
    saveFinding(name, finding) {
      writeDaily.run(scope, `finding:${name}`, finding.since, JSON.stringify({ until: finding.until, detail: finding.detail }));
    },
  };
}

/** The call windows of the marketplace connection used last (the one this console talks to now), for the Overview. */
export function latestCallWindows(db: Db): { operation: string; calls: number[]; pausedUntil: number | null }[] {
  const scope = db.prepare('SELECT scope FROM marketplace_call_windows ORDER BY updated_at DESC LIMIT 1').pluck().get() as string | undefined;
  if (scope === undefined) return [];
  const rows = db.prepare('SELECT operation, calls, paused_until AS pausedUntil FROM marketplace_call_windows WHERE scope = ?').all(scope) as {
    operation: string;
    calls: string;
    pausedUntil: number | null;
  }[];
  return rows.map((r) => {
    const calls = JSON.parse(r.calls) as unknown;
    return { operation: r.operation, calls: Array.isArray(calls) ? calls.filter((t): t is number => typeof t === 'number') : [], pausedUntil: r.pausedUntil };
  });
}
