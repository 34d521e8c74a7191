import type { CommandResponse } from '../../shared/contract';
import type { PayoutLine, PayoutSummary, PayoutTotals, UnpaidDocument } from '../../shared/contract/settlement';

export function makeTotals(overrides: Partial<PayoutTotals> = {}): PayoutTotals {
  return {
    month: null,
    sales: '0.00',
    shipping: '0.00',
    vat: '0.00',
    refunds: '0.00',
    commission: '0.00',
    commissionVat: '0.00',
    subscription: '0.00',
    otherFees: '0.00',
    reserve: '0.00',
    netPayout: '0.00',
    ...overrides,
  };
}

export function makeCycle(overrides: Partial<PayoutSummary> = {}): PayoutSummary {
  return {
    cycleId: 'C-2026-11',
    startDate: '2026-11-16T00:00:00Z',
    endDate: '2026-12-15T23:59:59Z',
    currency: 'GBP',
    amountTransferred: '1234.56',
    payoutReference: 'PAY-7781',
    tieOut: 'ties',
    tieOutDifference: null,
    variances: 0,
    unpaidInSap: 0,
    read: { lines: 2400, pages: 2, done: true },
    reconciledAt: '2026-12-16T06:00:00Z',
    posted: null,
    ...overrides,
  };
}

export function makeLine(overrides: Partial<PayoutLine> = {}): PayoutLine {
  return {
    lineId: 'L1',
    kind: 'sale',
    typeCode: 'ORDER_AMOUNT',
    amount: '100.00',
    paymentState: 'paid',
    date: '2026-11-20T10:00:00Z',
    month: '2026-11',
    orderId: '000000301-A',
    numAtCard: '000000301',
    refundId: null,
    class: 'matched',
    sapDocument: { kind: 'invoice', docEntry: 1501, docNum: 501 },
    difference: null,
    ...overrides,
  };
}

export function makeUnpaid(overrides: Partial<UnpaidDocument> = {}): UnpaidDocument {
  return {
    kind: 'credit-memo',
    docEntry: 1088,
    docNum: 88,
    orderId: '000000355-A',
    numAtCard: '000000355',
    postingDate: '2026-11-28',
    total: '-24.99',
    ...overrides,
  };
}

interface CycleDetailAnswer {
  totals: PayoutTotals;
  months: PayoutTotals[];
  unpaidInSap: UnpaidDocument[];
}

type PostResult = CommandResponse<'payouts.post'>['results'][number];

/** The settlement flow's Payouts messages, in memory: a test sets what the engine would answer. */
export class FakeSettlement {
  /** Newest first, as the engine lists them. */
  cycles: PayoutSummary[] = [];
  /** Cycle id → its totals, per-month totals and unpaid SAP documents (a cycle without an entry has zero totals). */
  details: Record<string, CycleDetailAnswer> = {};
  /** Cycle id → its lines. */
  lines: Record<string, PayoutLine[]> = {};
  /** Cycle id → how posting it comes out; a cycle not named here is posted as A/P Invoice 901 and Incoming Payment 902. */
  postOutcomes: Record<string, Omit<PostResult, 'cycleId'>> = {};
  /** Whether payouts.reconcile starts a run. */
  reconcileStarts = true;

  answer(name: string, r: Record<string, unknown>): unknown {
    switch (name) {
      case 'payouts.list': {
        const rows = this.cycles.filter((c) =>
          r.filter === 'not-posted' ? c.posted === null : r.filter === 'has-variances' ? c.variances > 0 || c.tieOut === 'differs' : true,
        );
        return this.page(rows, r);
      }
      case 'payouts.get': {
        const cycle = this.cycles.find((c) => c.cycleId === r.cycleId);
        if (!cycle) return null;
        return { cycle, ...(this.details[cycle.cycleId] ?? { totals: makeTotals(), months: [], unpaidInSap: [] }) };
      }
      case 'payouts.lines': {
        const term = String(r.search ?? '');
        const rows = (this.lines[String(r.cycleId)] ?? []).filter(
          (l) => (!r.class || l.class === r.class) && (!term || [l.orderId, l.numAtCard, l.refundId].some((v) => v?.includes(term))),
        );
        return this.page(rows, r);
      }
      case 'payouts.export': {
        const what = r.cycleId ? `cycle-${String(r.cycleId)}` : String(r.month);
        const text = `Cycle,Line,Amount\n${what},L1,100.00\n`;
        return {
          fileName: `payouts-${what}.${String(r.format)}`,
          contentType: r.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          base64: btoa(text),
        };
      }
      case 'payouts.reconcile':
        return { started: this.reconcileStarts };
      case 'payouts.post':
        return { results: (r.cycleIds as string[]).map((id) => this.post(id)) };
      default:
        throw new Error(`FakeSettlement does not answer ${name}`);
    }
  }

  /** As the engine posts a cycle: the outcome, and a posted cycle shows its documents from then on. */
  private post(cycleId: string): PostResult {
    const outcome = this.postOutcomes[cycleId] ?? { outcome: 'posted', message: 'A/P Invoice 901 and Incoming Payment 902' };
    if (outcome.outcome === 'posted' || outcome.outcome === 'found') {
      this.cycles = this.cycles.map((c) =>
        c.cycleId === cycleId ? { ...c, posted: { purchaseInvoiceDocNum: 901, paymentDocNum: 902, at: new Date().toISOString() } } : c,
      );
    }
    return { cycleId, ...outcome };
  }

  private page<T>(rows: T[], r: Record<string, unknown>) {
    const offset = r.offset as number;
    return { rows: rows.slice(offset, offset + (r.limit as number)), total: rows.length };
  }
}
