import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PayoutSummary, PayoutTotals } from '../../shared/contract/settlement';
import type { EngineClient } from '../engine';

export interface SettlementOptions {
  cycleId?: string;
  month?: string;
  json: boolean;
  /** A .xlsx or .csv file to write the cycle's (or the month's) reconciliation to. */
  exportFile?: string;
  /** Runs of the settlement flow at most, while cycles are still being read (each run reads what TL02's allowance lets). */
  maxRuns?: number;
  /** Where progress lines go (stderr by default, so --json output stays clean). */
  progress?: (line: string) => void;
}

export interface CycleReport {
  cycle: PayoutSummary;
  totals: PayoutTotals;
  months: PayoutTotals[];
  variances: number;
  unpaidInSap: number;
}

const money = (v: string | null) => (v === null ? '—' : v);

/**
 * `npm run engine -- settlement`: reads and reconciles the payouts with the settlement flow (run after run while the
 * marketplace's allowance paces the read), then prints each cycle's tie-out, totals and variances, and writes the
 * export when asked. Returns the exit code: 0 when every cycle reported ties out with no variance, 1 otherwise.
 */
export async function runSettlement(engine: EngineClient, options: SettlementOptions): Promise<number> {
  const say = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxRuns = options.maxRuns ?? 200;
  let previous = -1;
  for (let run = 1; run <= maxRuns; run++) {
    // Every cycle due is read and reconciled; --cycle chooses what is reported and exported.
    if (run === 1) await engine.command('payouts.reconcile', { actor: 'command line' });
    else await engine.runNow('settlement');
    await engine.idle();
    const { rows } = await engine.query('payouts.list', { filter: 'all', limit: 200, offset: 0 });
    const wanted = options.cycleId ? rows.filter((r) => r.cycleId === options.cycleId) : rows;
    const lines = wanted.reduce((a, r) => a + r.read.lines, 0);
    const reading = wanted.filter((r) => !r.read.done);
    say(`settlement: run ${run}: ${wanted.length} cycle(s), ${lines} line(s) read${reading.length ? `, ${reading.length} still being read` : ''}`);
    if (!reading.length) break;
    // No progress in a run: the marketplace's allowance is used up; the next run waits for it inside the flow.
    if (lines === previous) say('settlement: waiting for the marketplace to allow more reads');
    previous = lines;
  }

  const { rows } = await engine.query('payouts.list', { filter: 'all', limit: 200, offset: 0 });
  const cycles = options.cycleId ? rows.filter((r) => r.cycleId === options.cycleId) : rows;
  if (options.cycleId && !cycles.length) {
    say(`settlement: the marketplace has no billing cycle ${options.cycleId}`);
    return 2;
  }
  const reports: CycleReport[] = [];
  for (const c of cycles) {
    const detail = await engine.query('payouts.get', { cycleId: c.cycleId });
    if (detail)
      reports.push({
        cycle: detail.cycle,
        totals: detail.totals,
        months: detail.months,
        variances: detail.cycle.variances,
        unpaidInSap: detail.unpaidInSap.length,
      });
  }
  if (options.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else process.stdout.write(`${formatSettlement(reports)}\n`);

  if (options.exportFile) {
    const format = path.extname(options.exportFile).toLowerCase() === '.csv' ? 'csv' : 'xlsx';
    const request = options.cycleId ? { cycleId: options.cycleId, format } : { month: options.month ?? currentMonth(cycles), format };
    const file = await engine.query('payouts.export', request as { cycleId: string; format: 'csv' | 'xlsx' });
    // Payout lines name customers' orders: readable by this user only.
    writeFileSync(options.exportFile, Buffer.from(file.base64, 'base64'), { mode: 0o600 });
    say(`settlement: wrote ${options.exportFile}`);
  }
  return reports.every((r) => r.cycle.tieOut === 'ties' && r.variances === 0) ? 0 : 1;
}

/** The month of the newest cycle's end, when neither a cycle nor a month was named. */
function currentMonth(cycles: PayoutSummary[]): string {
  const ends = cycles
    .map((c) => c.endDate ?? c.startDate ?? '')
    .filter(Boolean)
    .sort();
  return (ends.at(-1) ?? new Date().toISOString()).slice(0, 7);
}

export function formatSettlement(reports: CycleReport[]): string {
  if (!reports.length) return 'No billing cycles read yet.';
  const out: string[] = [];
  for (const r of reports) {
    const c = r.cycle;
    out.push(
      `Cycle ${c.cycleId}  ${c.startDate?.slice(0, 10) ?? '?'} – ${c.endDate?.slice(0, 10) ?? '?'}  transferred ${money(c.amountTransferred)} ${c.currency ?? ''}`.trimEnd(),
      `  tie-out: ${c.tieOut}${c.tieOutDifference ? ` (difference ${c.tieOutDifference})` : ''}   variances: ${r.variances}   unpaid in SAP: ${r.unpaidInSap}   ${c.posted ? 'posted' : 'not posted'}`,
      `  sales ${r.totals.sales}  shipping ${r.totals.shipping}  VAT ${r.totals.vat}  refunds ${r.totals.refunds}  commission ${r.totals.commission}  commission VAT ${r.totals.commissionVat}  subscription ${r.totals.subscription}  other fees ${r.totals.otherFees}  reserve ${r.totals.reserve}  net ${r.totals.netPayout}`,
    );
    for (const m of r.months) out.push(`  ${m.month}: sales ${m.sales}  refunds ${m.refunds}  net ${m.netPayout}`);
  }
  return out.join('\n');
}
