import Decimal from 'decimal.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/engine/ledger';
import { pruneLedger, RETENTION } from '../../electron/engine/ledger/retention';
import { SettlementRepository } from '../../electron/engine/flows/settlement';
import type { TransactionLine } from '../../electron/engine/connectors/ports/marketplace';
import { tempDir } from '../support/ports';

const tmp = tempDir('settlement-retention-');
afterAll(() => tmp.cleanup());
const DAY = 86_400_000;

describe('settlement retention', () => {
  it('keeps payouts 400 days from their cycle’s end, pruning a big month in bounded steps', () => {
    const ledger = createLedger(tmp.file('ledger.db'));
    const repo = new SettlementRepository(ledger.db);
    const now = Date.UTC(2026, 10, 29, 12);
    const iso = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    for (const daysAgo of [500, 401, 399, 10]) {
      const id = `cycle-${daysAgo}`;
      repo.upsertCycle(
        {
          id,
          startDate: iso(daysAgo + 30),
          endDate: iso(daysAgo),
          currency: 'GBP',
          amountTransferredToSeller: new Decimal(60),
          payOutState: 'PAID',
          payOutReference: id,
          raw: {},
        },
        new Date(now),
      );
      const cycle = repo.cycle(id)!;
      const lines: TransactionLine[] = Array.from({ length: 60 }, (_, i) => ({
        id: `${id}-${i}`,
        kind: 'commission',
        typeCode: 'COMMISSION_FEE',
        amount: new Decimal(1),
        currency: 'GBP',
        paymentState: 'paid',
        paymentStateCode: 'PAID',
        billingCycleId: id,
        accountingDocumentNumber: null,
        orderId: null,
        commercialId: null,
        orderLineId: null,
        refundId: null,
        dateCreated: iso(daysAgo + 1),
        lastUpdated: iso(daysAgo),
        raw: {},
      }));
      repo.savePage(cycle, lines, null, new Date(now));
      repo.finishRead(id, new Date(now));
      repo.addPeriodDocuments(id, [
        {
          kind: 'invoice',
          docEntry: daysAgo,
          docNum: daysAgo,
          orderId: `O-${daysAgo}`,
          refundId: null,
          numAtCard: null,
          postingDate: iso(daysAgo).slice(0, 10),
          total: '1.00',
        },
      ]);
    }
    const steps = [];
    for (let step = pruneLedger(ledger.db, new Date(now), 25); ; step = pruneLedger(ledger.db, new Date(now), 25)) {
      steps.push(step);
      if (!step.more) break;
    }
    expect(RETENTION.settlementDays).toBe(400);
    expect(steps.every((s) => s.settlementLines <= 25)).toBe(true);
    expect(steps.reduce((n, s) => n + s.settlementLines, 0)).toBe(120);
    expect(steps.reduce((n, s) => n + s.settlementCycles, 0)).toBe(2);
    expect(ledger.db.prepare('SELECT cycle_id FROM settlement_cycles ORDER BY cycle_id').pluck().all()).toEqual(['cycle-10', 'cycle-399']);
    expect(ledger.db.prepare('SELECT DISTINCT cycle_id FROM settlement_lines ORDER BY cycle_id').pluck().all()).toEqual(['cycle-10', 'cycle-399']);
    expect(ledger.db.prepare('SELECT count(*) FROM settlement_period_documents').pluck().get()).toBe(2);
    expect(ledger.db.prepare('SELECT count(*) FROM settlement_months').pluck().get()).toBe(0);
    ledger.close();
  });
});
