import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ratePercent, resolveVatGroup, taxKeyOf } from '../../electron/engine/flows/orders/mapping';
import { vatFits } from '../../electron/engine/flows/orders/vat';
import { sapCountryCode } from '../../electron/engine/flows/orders/countries';
import { createLedger } from '../../electron/engine/ledger';
import { OrdersRepository } from '../../electron/engine/flows/orders/repository';
import { tempDir } from '../support/ports';
import { pounds, RUNS } from './arbitraries';

const rate = fc.constantFrom('0', '5', '12.5', '20', '17.5');
const code = fc.constantFrom('GB-VAT-STD', 'GB-VAT-RED', 'GB-ZERO', 'OTHER');
const mapping = fc
  .record({ taxCode: fc.option(code, { nil: null }), rate: fc.option(rate, { nil: null }), vatGroup: fc.constantFrom('O1', 'O2', 'O0', 'X9') })
  .map((m) => ({ ...m, id: 1, source: 'operator' as const, updatedBy: 'test', updatedAt: '2026-01-01T00:00:00Z' }));
const sapGroup = fc.record({ code: fc.constantFrom('O1', 'O2', 'O0', 'S1', 'S2'), rate: rate.map((r) => new Decimal(r)) });

describe('VAT mapping (marketplace tax → SAP output VAT group)', () => {
  // Below 1 % the two readings cannot be told apart (0.5 could be either); no UK rate is there.
  it('a rate of 1 % or more reads the same in percent or as a fraction (20 and 0.2)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9_999 }), (basis) => {
        const pct = new Decimal(basis).div(100);
        expect(ratePercent(pct.div(100))).toBe(ratePercent(pct));
      }),
      RUNS,
    );
  });

  it('is total: a group from the operator’s mappings or the one SAP group at that rate, or none — never a guess among several', () => {
    fc.assert(
      fc.property(
        fc.option(code, { nil: null }),
        fc.option(rate, { nil: null }),
        fc.array(mapping, { maxLength: 5 }),
        fc.array(sapGroup, { maxLength: 5 }),
        (c, r, mappings, groups) => {
          const key = { code: c, rate: r };
          const out = resolveVatGroup(key, mappings, groups);
          if (out === null) return;
          if (out.derived) {
            const atRate = groups.filter((g) => r !== null && g.rate.eq(r));
            expect(atRate.map((g) => g.code)).toEqual([out.vatGroup]);
            // Derived only when no mapping of the operator's applied.
            expect(
              mappings.some(
                (m) =>
                  (c && m.taxCode === c && (m.rate === null || m.rate === r)) ||
                  (m.taxCode === null && m.rate !== null && r !== null && new Decimal(m.rate).eq(r)),
              ),
            ).toBe(false);
          } else expect(mappings.map((m) => m.vatGroup)).toContain(out.vatGroup);
        },
      ),
      RUNS,
    );
  });

  it('the operator’s mapping for the tax code wins over anything SAP has at that rate', () => {
    fc.assert(
      fc.property(code, rate, fc.array(sapGroup, { maxLength: 5 }), (c, r, groups) => {
        expect(
          resolveVatGroup(
            { code: c, rate: r },
            [{ taxCode: c, rate: null, vatGroup: 'MAPPED', id: 1, source: 'operator', updatedBy: 'test', updatedAt: '2026-01-01T00:00:00Z' }],
            groups,
          ),
        ).toEqual({ vatGroup: 'MAPPED', derived: false });
      }),
      RUNS,
    );
  });

  it('a line with several non-zero taxes has no single key; one tax, or zero taxes beside one, has its own', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            code: fc.option(code, { nil: null }),
            rate: fc.option(
              rate.map((r) => new Decimal(r)),
              { nil: null },
            ),
            amount: fc.option(pounds(0, 5_000), { nil: null }),
          }),
          { maxLength: 4 },
        ),
        (taxes) => {
          const key = taxKeyOf(taxes);
          const relevant = taxes.filter((t) => !(t.amount?.isZero() && taxes.length > 1));
          if (relevant.length === 0) expect(key).toBeNull();
          else if (relevant.length > 1) expect(key).toBe('several');
          else expect(key).toEqual({ code: relevant[0]!.code, rate: ratePercent(relevant[0]!.rate) });
        },
      ),
      RUNS,
    );
  });

  it('a rate fits a net and gross the marketplace states when gross = net × (1 + rate) to a penny a unit', () => {
    fc.assert(
      fc.property(pounds(1, 99_999), fc.constantFrom(0, 5, 20), fc.integer({ min: 1, max: 50 }), (unitNet, r, units) => {
        const net = unitNet.times(units);
        const gross = unitNet.times(new Decimal(r).div(100).plus(1)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).times(units);
        expect(vatFits(new Decimal(r), gross, net, units)).toBe(true);
        // Another UK rate does not fit a price that carries tax (0 % vs 20 % differ by far more than a penny a unit on 1p+).
        if (r === 20 && unitNet.gte('0.10')) expect(vatFits(new Decimal(0), gross, net, units)).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('countries (marketplace ISO alpha-3 → SAP alpha-2)', () => {
  it('is total: two capital letters or none, never anything else', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 5 }), { nil: null }), (value) => {
        const out = sapCountryCode(value);
        if (out !== null) expect(out).toMatch(/^\S{2}$/);
      }),
      RUNS,
    );
  });
});

describe('SKU mapping (marketplace SKU → SAP ItemCode)', () => {
  it('is one to one: a SKU reads its item while no later mapping took that item, else its own code; mapping a SKU to itself removes it', () => {
    const tmp = tempDir('sku-property-');
    const repo = new OrdersRepository(createLedger(tmp.file('ledger.db')).db);
    const sku = fc.constantFrom('A', 'B', 'C', 'D', ' ', 'Zoë 🎁');
    let run = 0;
    try {
      fc.assert(
        fc.property(fc.array(fc.tuple(sku, fc.constantFrom('A', 'B', 'I1', 'I2', ' ')), { maxLength: 10 }), (steps) => {
          // Each run its own SKUs and items, so runs do not see each other's mappings.
          const p = `run${++run}:`;
          const model = new Map<string, string>();
          for (const [s, item] of steps) {
            repo.mapSku(p + s, p + item, new Date('2026-01-01T00:00:00Z'));
            for (const [k, v] of model) if (k === p + s || v === p + item) model.delete(k);
            if (p + item !== p + s) model.set(p + s, p + item);
          }
          for (const s of ['A', 'B', 'C', 'D', ' ', 'Zoë 🎁']) expect(repo.itemCodeFor(p + s)).toBe(model.get(p + s) ?? p + s);
          // No item is the mapping of two SKUs.
          expect(new Set(model.values()).size).toBe(model.size);
        }),
        { numRuns: 200 },
      );
    } finally {
      tmp.cleanup();
    }
  });
});
