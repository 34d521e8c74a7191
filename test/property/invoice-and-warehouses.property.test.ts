import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SalesDocumentLine, VatGroup } from '../../electron/engine/connectors/ports/sap';
import { InvoiceProblem } from '../../electron/engine/flows/invoicing/exceptions';
import { planInvoice, type OpenDeliveryLine } from '../../electron/engine/flows/invoicing/plan';
import { sapLineTotals } from '../../electron/engine/flows/orders/draft';
import { chooseWarehouses } from '../../electron/engine/flows/orders/warehouses';
import { OrdersSettingsSchema } from '../../shared/domain/orders';
import { order, RUNS } from './arbitraries';

const GROUPS: VatGroup[] = [
  { code: 'V0', name: 'Zero', rate: new Decimal(0) },
  { code: 'V5', name: 'Reduced', rate: new Decimal(5) },
  { code: 'V20', name: 'Standard', rate: new Decimal(20) },
];

describe('delivered order → SAP A/R Invoice', () => {
  it('is total: an invoice whose total SAP makes the marketplace’s (within the rounding allowed), or an invoicing exception', () => {
    const outcomes = { planned: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.boolean().chain((gross) => order(gross)),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 6, maxLength: 6 }),
        fc.constantFrom('0.05', '0.00', '1.00'),
        (o, parts, maxRounding) => {
          const gross = o.taxMode !== 'TAX_EXCLUDED';
          // The Delivery Note's lines as SAP computed them when the Sales Order was posted, some delivered in part.
          const lines: OpenDeliveryLine[] = o.lines.map((m, i) => {
            const rate = m.taxes[0]!.rate!;
            const quantity = m.quantity!;
            const t = sapLineTotals(m.unitPrice!, quantity, rate, gross);
            const line = {
              lineNum: i,
              itemCode: m.sku!,
              quantity: new Decimal(quantity),
              unitPrice: t.net.div(quantity),
              lineTotal: t.net,
              vatTotal: t.vat,
              vatGroup: `V${rate.toString()}`,
            } as unknown as SalesDocumentLine;
            return { delivery: { docEntry: 10, docNum: 10 }, line, quantity: Math.max(1, Math.min(quantity, parts[i]! || quantity)), marketplaceLine: m };
          });
          const settings = OrdersSettingsSchema.parse({ maxRounding, shipping: { as: 'freight', expenseCode: 1 } });
          try {
            const plan = planInvoice({ order: o, numAtCard: 'N', customer: 'C-JLM', lines, vatGroups: GROUPS, settings });
            expect(plan.sapTotal.plus(plan.rounding).eq(plan.marketplaceTotal)).toBe(true);
            expect(plan.rounding.abs().lte(maxRounding)).toBe(true);
            expect(plan.marketplaceTotal.eq(plan.goods.plus(plan.shipping))).toBe(true);
            // Every open delivery line copied once, from its base, for the units still open.
            expect(plan.draft.lines.map((l) => [l.base?.lineNum, l.quantity])).toEqual(lines.map((l) => [l.line.lineNum, l.quantity]));
            expect(plan.draft.rounding === undefined).toBe(plan.rounding.isZero());
            outcomes.planned++;
          } catch (e) {
            outcomes.refused++;
            expect(e).toBeInstanceOf(InvoiceProblem);
            expect(['totals-differ', 'vat-unknown', 'delivery-line-unknown']).toContain((e as InvoiceProblem).type);
          }
        },
      ),
      RUNS,
    );
    // Both ends are met: many invoices planned, others refused (no rounding allowed, net prices off by more).
    expect(outcomes.planned).toBeGreaterThan(RUNS.numRuns / 4);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});

describe('the warehouse a Sales Order line takes its stock from', () => {
  const CODES = ['01', '02', '03'];
  it('the first warehouse in the list that still has the line’s quantity (after earlier lines), else the default; never more than a warehouse has', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ itemCode: fc.constantFrom('A', 'B'), quantity: fc.integer({ min: 1, max: 20 }) }), { maxLength: 8 }),
        fc.dictionary(
          fc.constantFrom('A|01', 'A|02', 'A|03', 'B|01', 'B|02'),
          fc.record({ inStock: fc.integer({ min: 0, max: 40 }), committed: fc.integer({ min: 0, max: 40 }) }),
        ),
        fc.shuffledSubarray(CODES),
        (lines, stock, priority) => {
          const stockOf = (item: string) =>
            Object.entries(stock)
              .filter(([k]) => k.startsWith(`${item}|`))
              .map(([k, v]) => ({ warehouseCode: k.split('|')[1]!, inStock: v.inStock, committed: v.committed }));
          const chosen = chooseWarehouses(lines, stockOf, priority, 'DEFAULT');
          expect(chosen).toHaveLength(lines.length);
          const taken = new Map<string, number>();
          for (const [i, w] of chosen.entries()) {
            const { itemCode, quantity } = lines[i]!;
            expect([...priority, 'DEFAULT']).toContain(w);
            const left = (code: string) => {
              const s = stockOf(itemCode).find((x) => x.warehouseCode === code);
              return s ? s.inStock - s.committed - (taken.get(`${itemCode}|${code}`) ?? 0) : -Infinity;
            };
            // Every warehouse listed before the chosen one could not take the line.
            const before = w === 'DEFAULT' ? priority : priority.slice(0, priority.indexOf(w));
            for (const code of before) expect(left(code)).toBeLessThan(quantity);
            if (w !== 'DEFAULT') {
              expect(left(w)).toBeGreaterThanOrEqual(quantity);
              taken.set(`${itemCode}|${w}`, (taken.get(`${itemCode}|${w}`) ?? 0) + quantity);
            }
          }
        },
      ),
      RUNS,
    );
  });
});
