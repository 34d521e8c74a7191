import type { StatusReport } from '../engine';

export function formatStatus(report: StatusReport): string {
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
