import path from 'node:path';
import { createLedger } from './ledger';
import { FLOW_NAMES } from '../../shared/domain/flows';

/** What `npm run engine -- status` reports, read from the ledger alone (an engine may be running on it): queue counts, the last run of each flow, open exceptions. */
export function statusReport(dataDir: string) {
  const ledger = createLedger(path.join(dataDir, 'ledger.db'));
  try {
    const count = (sql: string, ...args: unknown[]) =>
      ledger.db
        .prepare(sql)
        .pluck()
        .get(...args) as number;
    const flows = FLOW_NAMES.map((flow) => ({ flow, lastRun: ledger.runs.last(flow), failureStreak: ledger.runs.failureStreak(flow) })).filter(
      (f) => f.lastRun !== null,
    );
    const open = ledger.exceptions.list({ state: 'open', limit: 50, offset: 0 });
    return {
      dataDir,
      queues: {
        pendingWrites: count('SELECT count(*) FROM intents WHERE outcome IS NULL'),
        exceptionsOpen: count("SELECT count(*) FROM exceptions WHERE state = 'open'"),
        exceptionsRetrying: count("SELECT count(*) FROM exceptions WHERE state = 'retrying'"),
      },
      flows,
      openExceptions: open.rows.map((e) => ({
        id: e.id,
        flow: e.flow,
        type: e.type,
        severity: e.severity,
        record: `${e.record.type} ${e.record.key}`,
        summary: e.summary,
        since: e.firstSeenAt,
      })),
      openExceptionsTotal: open.total,
    };
  } finally {
    ledger.close();
  }
}

export type StatusReport = ReturnType<typeof statusReport>;
