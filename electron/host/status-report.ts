import path from 'node:path';
import { createLedger } from '../engine/ledger';
import { FLOW_NAMES } from '../../shared/domain/flows';

/** What `npm run engine -- status` prints: queue counts, the last run of each flow, open exceptions. */
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

export function formatStatus(report: ReturnType<typeof statusReport>): string {
  const lines = [
    `Ledger: ${report.dataDir}`,
    `Pending writes: ${report.queues.pendingWrites}   Open exceptions: ${report.queues.exceptionsOpen}   Retrying: ${report.queues.exceptionsRetrying}`,
    '',
  ];
  for (const f of report.flows) {
    lines.push(
      `${f.flow.padEnd(10)} ${f.lastRun!.outcome.padEnd(11)} ${f.lastRun!.startedAt}${f.failureStreak ? `  (${f.failureStreak} failed in a row)` : ''}${f.lastRun!.error ? `  ${f.lastRun!.error}` : ''}`,
    );
  }
  if (report.openExceptions.length) lines.push('', 'Open exceptions:');
  for (const e of report.openExceptions) lines.push(`  #${e.id} [${e.severity}] ${e.flow} ${e.record}: ${e.summary}`);
  return lines.join('\n');
}
