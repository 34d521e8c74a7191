import Decimal from 'decimal.js';
import { isSapFailure } from '../../connectors/ports/sap';
import type { TieOutState } from '../../../../shared/domain/finance';
import { count, cycleRef, raise, type SettlementEnv } from './env';
import { ukDay } from './lines';
import { matchCycle } from './matching';
import type { CycleRow, PeriodDocument } from './repository';

const sapWords = (e: unknown) => {
  const { sapMessage } = (e ?? {}) as { sapMessage?: unknown };
  return typeof sapMessage === 'string' ? sapMessage : e instanceof Error ? e.message : String(e);
};

/**
 * The tie-out: every line but the payout (and lines not part of it: pending, not payable) adds up to the amount the
 * marketplace says it transferred (SBC11), and the payout line is that amount with its sign turned. Otherwise the
 * cycle differs by Σ lines − amount transferred (or, where the lines tie and the payout line does not, by the payout
 * line's difference). The cycle's totals and each month's part of them come from the same pass over its lines.
 */
export function tieOut(env: SettlementEnv, cycle: CycleRow): { state: TieOutState; difference: Decimal | null } {
  const { total, months, payment, paymentLines } = env.repo.sumLines(cycle.cycleId);
  const lines = total.net;
  const paid = payment.neg();
  const transferred = cycle.amountTransferred !== null ? new Decimal(cycle.amountTransferred) : paymentLines ? paid : null;
  let difference: Decimal | null = null;
  if (transferred === null) difference = lines;
  else if (!lines.eq(transferred)) difference = lines.minus(transferred);
  else if (paymentLines && !paid.eq(transferred)) difference = paid.minus(transferred);
  const state: TieOutState = difference === null ? 'ties' : 'differs';
  env.repo.saveTieOut(cycle.cycleId, {
    tieOut: state,
    linesTotal: lines.toFixed(2),
    paymentTotal: payment.toFixed(2),
    difference: difference?.toFixed(2) ?? null,
    totals: total.toJSON(),
    months: new Map([...months].map(([m, t]) => [m, t.toJSON()])),
  });
  const record = cycleRef(cycle.cycleId);
  if (state === 'ties') env.ctx.resolve('payout-does-not-tie', record);
  else {
    count(env, 'cyclesNotTied');
    const payoutLine = paymentLines && !paid.eq(transferred ?? paid) ? ` (payout line ${paid.toFixed(2)})` : '';
    raise(
      env,
      record,
      'payout-does-not-tie',
      `Billing cycle ${cycle.cycleId}: its lines total ${lines.toFixed(2)} but the marketplace transferred ${
        transferred === null ? 'nothing yet' : transferred.toFixed(2)
      }${payoutLine}: difference ${difference!.toFixed(2)}`,
      null,
      difference!.toFixed(2),
    );
  }
  return { state, difference };
}

/**
 * The days a cycle covers, for the SAP documents posted in it: from its start (or its first line) to its end (or its
 * last line, or its start), in UK days.
 */
export function periodOf(env: SettlementEnv, cycle: CycleRow): { from: string; to: string } | null {
  const dates = env.repo.lineDates(cycle.cycleId);
  const days = [cycle.startDate, cycle.endDate, dates.first, dates.last].filter((d): d is string => !!d && !Number.isNaN(Date.parse(d))).map(ukDay);
  if (!days.length) return null;
  days.sort();
  return { from: days[0]!, to: days[days.length - 1]! };
}

/**
 * The marketplace customer's invoices and credit memos posted in the cycle's period that carry a marketplace order id,
 * read a page at a time and kept, so "unpaid in SAP" (those no line of any read cycle pays) is worked out when asked.
 */
async function readPeriodDocuments(env: SettlementEnv, cycle: CycleRow): Promise<'done' | 'unreachable' | 'failed'> {
  const period = periodOf(env, cycle);
  env.repo.clearPeriodDocuments(cycle.cycleId);
  if (!period) return 'done';
  try {
    for (const [kind, docs] of [
      ['invoice', env.sap.invoices],
      ['credit-memo', env.sap.creditMemos],
    ] as const) {
      for await (const page of docs.postedBetween(env.customer, period.from, period.to)) {
        const kept: PeriodDocument[] = page
          .filter((d) => !d.cancelled && d.marketplaceOrderId)
          .map((d) => ({
            kind,
            docEntry: d.docEntry,
            docNum: d.docNum,
            orderId: d.marketplaceOrderId!,
            refundId: kind === 'credit-memo' ? d.marketplaceRefundId : null,
            numAtCard: d.customerReference,
            postingDate: d.postingDate,
            total: d.total.toFixed(2),
          }));
        env.repo.addPeriodDocuments(cycle.cycleId, kept);
        count(env, 'periodDocuments', kept.length);
      }
    }
  } catch (e) {
    if (isSapFailure(e) && e.unreachable) return 'unreachable';
    raise(
      env,
      cycleRef(cycle.cycleId),
      'period-documents-failed',
      `SAP did not list the marketplace customer's invoices and credit memos posted ${period.from} to ${period.to} (billing cycle ${cycle.cycleId})`,
      sapWords(e),
    );
    return 'failed';
  }
  env.ctx.resolve('period-documents-failed', cycleRef(cycle.cycleId));
  return 'done';
}

/**
 * Reconciles a read cycle: the tie-out and totals, every order and refund line matched
 * with SAP, and the SAP documents of its period. A cycle is reconciled once all of that is done; what SAP could not
 * answer is done at a later run. `recheck`: the cycle was reconciled before and only its variances are asked about
 * again (SAP may have been corrected since).
 */
export async function reconcileCycle(env: SettlementEnv, cycle: CycleRow, recheck = false): Promise<{ unreachable: boolean }> {
  if (!recheck) tieOut(env, cycle);
  const matched = await matchCycle(env, cycle.cycleId);
  if (matched.unreachable) {
    env.repo.finishMatching(cycle.cycleId, env.now(), false);
    return { unreachable: true };
  }
  const period = recheck ? 'done' : await readPeriodDocuments(env, cycle);
  const variances = env.repo.finishMatching(cycle.cycleId, env.now(), matched.complete && period !== 'unreachable' && (recheck || period === 'done'));
  count(env, recheck ? 'cyclesRechecked' : 'cyclesReconciled');
  count(env, 'variances', variances);
  return { unreachable: period === 'unreachable' };
}
