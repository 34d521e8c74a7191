import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SalesDocument } from '../../electron/engine/connectors/ports/sap';
import { money } from '../../electron/engine/connectors/john-lewis/wire';
import { parseJson } from '../../electron/engine/connectors/john-lewis/read';
import { marketplaceValueOf } from '../../electron/engine/flows/invoicing/plan';
import { refundGross } from '../../electron/engine/flows/returns/credit';
import { planRefund, RefundRefused } from '../../electron/engine/flows/returns/refund-requests';
import type { RefundRow } from '../../electron/engine/flows/returns/repository';
import { compare } from '../../electron/engine/flows/settlement/matching';
import { Totals, totalFieldOf } from '../../electron/engine/flows/settlement/lines';
import type { GroupLine } from '../../electron/engine/flows/settlement/repository';
import { order, orderLine, pounds, RUNS } from './arbitraries';

const taxes = fc.array(
  fc.record({
    code: fc.constant('GB-VAT'),
    rate: fc.constant('20'),
    amount: fc.option(
      pounds(0, 5_000).map((d) => d.toFixed(2)),
      { nil: null },
    ),
  }),
  { maxLength: 3 },
);
const refundRow = fc
  .record({
    amount: pounds(0, 50_000),
    shippingAmount: pounds(0, 2_000),
    taxes,
    shippingTaxes: taxes,
    taxMode: fc.constantFrom('TAX_INCLUDED' as const, 'TAX_EXCLUDED' as const),
  })
  .map((r) => r as unknown as RefundRow);
const KINDS = [
  'sale',
  'sale-vat',
  'shipping',
  'shipping-vat',
  'refund',
  'refund-vat',
  'commission',
  'commission-vat',
  'subscription',
  'reserve-held',
  'other',
  'a-kind-added-later',
];

describe('refunds, Credit Memos and invoices', () => {
  it('a refund’s Credit Memo total is its goods and its shipping; gross prices as refunded, net ones with their taxes', () => {
    fc.assert(
      fc.property(refundRow, fc.boolean(), (r, shippingInSap) => {
        const g = refundGross(r, shippingInSap);
        expect(g.total.eq(g.goods.plus(g.shipping))).toBe(true);
        const sumTaxes = (list: { amount: string | null }[]) => list.reduce((a, t) => a.plus(t.amount ?? 0), new Decimal(0));
        expect(g.goods.eq(r.taxMode === 'TAX_EXCLUDED' ? r.amount.plus(sumTaxes(r.taxes)) : r.amount)).toBe(true);
        if (!shippingInSap) expect(g.shipping.isZero()).toBe(true);
        expect(g.total.decimalPlaces()).toBeLessThanOrEqual(2);
      }),
      RUNS,
    );
  });

  it('a refund from the console is total: each line refunded as asked, to the penny, within what is left — or refused with why', () => {
    fc.assert(
      fc.property(
        order(true).chain((o) =>
          fc.tuple(
            fc.constant(o),
            fc.array(
              fc.record({
                line: fc.integer({ min: 0, max: o.lines.length }),
                amount: pounds(0, 200_000),
                shipping: pounds(0, 3_000),
                quantity: fc.integer({ min: 0, max: 30 }),
              }),
              { minLength: 1, maxLength: 3 },
            ),
          ),
        ),
        ([o, asks]) => {
          const ask = {
            orderId: o.orderId,
            reasonCode: 'R',
            actor: 'test',
            lines: asks.map((a) => ({
              orderLineId: o.lines[a.line]?.orderLineId ?? 'NO-SUCH-LINE',
              quantity: a.quantity,
              amount: a.amount.toFixed(2),
              shippingAmount: a.shipping.toFixed(2),
            })),
          };
          try {
            const plan = planRefund(o, ask);
            for (const [i, l] of plan.entries()) {
              const line = o.lines.find((x) => x.orderLineId === l.orderLineId)!;
              expect(l.amount).toBe(ask.lines[i]!.amount);
              expect(new Decimal(l.amount).lte(line.price!)).toBe(true);
              expect(new Decimal(l.shippingAmount).lte(line.shippingPrice!)).toBe(true);
              // Its taxes are the line's in proportion, to the penny; all of the line refunded is all of its tax.
              const lineTax = line.taxes.reduce((a, t) => a.plus(t.amount ?? 0), new Decimal(0));
              const refundTax = l.taxes.reduce((a, t) => a.plus(t.amount), new Decimal(0));
              expect(refundTax.lte(lineTax)).toBe(true);
              if (new Decimal(l.amount).eq(line.price!)) expect(refundTax.eq(lineTax)).toBe(true);
            }
          } catch (e) {
            expect(e).toBeInstanceOf(RefundRefused);
          }
        },
      ),
      RUNS,
    );
  });

  it('an invoice of all of a line is what the marketplace charged for it; of part of it, its share to the penny', () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((gross) => fc.tuple(orderLine('L1', gross), fc.constant(gross))),
        fc.integer({ min: 0, max: 20 }),
        ([line, gross], part) => {
          const whole = marketplaceValueOf(line, line.quantity!, gross);
          const taxTotal = (list: typeof line.taxes) => list.reduce((a, t) => a.plus(t.amount ?? 0), new Decimal(0));
          expect(whole.goods.eq(gross ? line.price! : line.price!.plus(taxTotal(line.taxes)))).toBe(true);
          expect(whole.shipping.eq(gross ? line.shippingPrice! : line.shippingPrice!.plus(taxTotal(line.shippingTaxes)))).toBe(true);
          const q = Math.min(part, line.quantity!);
          const some = marketplaceValueOf(line, q, gross);
          const rest = marketplaceValueOf(line, line.quantity! - q, gross);
          // Two invoices of one line's units add up to the whole to within a penny each (each share rounded on its own).
          expect(some.goods.plus(rest.goods).minus(whole.goods).abs().lte('0.02')).toBe(true);
          expect(some.goods.decimalPlaces()).toBeLessThanOrEqual(2);
        },
      ),
      RUNS,
    );
  });
});

describe('payout reconciliation', () => {
  const doc = (net: Decimal, vat: Decimal): SalesDocument => ({ docEntry: 1, docNum: 1, total: net.plus(vat), vatTotal: vat }) as unknown as SalesDocument;
  const group = (kind: 'sale' | 'refund') =>
    fc
      .array(
        fc.record({
          kind: fc.constantFrom(...(kind === 'sale' ? ['sale', 'sale-vat', 'shipping', 'shipping-vat'] : ['refund', 'refund-vat', 'refund-shipping'])),
          amount: pounds(-50_000, 50_000),
        }),
        {
          minLength: 1,
          maxLength: 5,
        },
      )
      .map((ls) => ({
        kind,
        orderId: 'O-1',
        commercialId: 'O',
        refundId: kind === 'refund' ? 'RF1' : null,
        lines: ls.map((l, i): GroupLine => ({
          lineId: `T${i}`,
          kind: l.kind,
          amount: l.amount,
          orderId: 'O-1',
          commercialId: 'O',
          refundId: kind === 'refund' ? 'RF1' : null,
        })),
      }));

  it('every transaction line gets exactly one verdict; none without SAP’s document; matched when SAP’s net and VAT are the marketplace’s', () => {
    fc.assert(
      fc.property(fc.constantFrom('sale' as const, 'refund' as const).chain(group), pounds(-500, 500), pounds(-500, 500), (g, offNet, offVat) => {
        const sign = g.kind === 'refund' ? -1 : 1;
        const isNet = (k: string) => !k.endsWith('-vat');
        const net = g.lines
          .filter((l) => isNet(l.kind))
          .reduce((a, l) => a.plus(l.amount), new Decimal(0))
          .times(sign);
        const vat = g.lines
          .filter((l) => !isNet(l.kind))
          .reduce((a, l) => a.plus(l.amount), new Decimal(0))
          .times(sign);
        const none = compare(g, [], true);
        expect(none.map((m) => m.class)).toEqual(g.lines.map(() => 'missing-in-sap'));
        const same = compare(g, [doc(net, vat)], true);
        expect(same.map((m) => [m.lineId, m.class])).toEqual(g.lines.map((l) => [l.lineId, 'matched']));
        const off = compare(g, [doc(net.plus(offNet), vat.plus(offVat))], true, new Decimal('0.02'));
        expect(off.map((m) => m.lineId)).toEqual(g.lines.map((l) => l.lineId));
        const splitOnly = offNet.plus(offVat).isZero() && offNet.abs().lte('0.02');
        const verdict = offNet.isZero() && offVat.isZero() ? 'matched' : splitOnly ? 'matched' : 'amount-differs';
        for (const m of off) expect(m.class).toBe(verdict);
        if (!offNet.isZero() || !offVat.isZero()) {
          // The difference (SAP minus the marketplace) is shown once, on the group's lead line.
          const shown = off.filter((m) => m.difference);
          expect(shown).toHaveLength(1);
          expect(shown[0]!.difference).toEqual({ net: offNet.toFixed(2), vat: offVat.toFixed(2) });
        }
      }),
      RUNS,
    );
  });

  it('a cycle’s totals: every line in exactly one column, the columns add up to the net payout, months add up to the cycle', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...KINDS), pounds(-100_000, 100_000), fc.boolean()), { maxLength: 40 }), (lines) => {
        const all = new Totals();
        const [a, b] = [new Totals(), new Totals()];
        for (const [kind, amount, first] of lines) {
          all.add(kind, amount);
          (first ? a : b).add(kind, amount);
        }
        const t = all.toJSON();
        const columns = Object.entries(t).filter(([k]) => k !== 'netPayout');
        expect(columns.reduce((s, [, v]) => s.plus(v), new Decimal(0)).toFixed(2)).toBe(t.netPayout);
        expect(Totals.sum([a.toJSON(), b.toJSON()])).toEqual(t);
        for (const [kind] of lines) expect(Object.keys(t)).toContain(totalFieldOf(kind));
      }),
      RUNS,
    );
  });
});

describe('money to the penny on the wire', () => {
  it('an amount goes to the marketplace as its exact two-place text and reads back the same, never through a float', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }), fc.integer({ min: 0, max: 4 }), (units, places) => {
        const amount = new Decimal(units).div(10 ** places);
        const text = JSON.stringify({ amount: money(amount) });
        const back = (parseJson(text) as { amount: unknown }).amount;
        expect(String(back)).toBe(amount.toFixed(2));
        // Half a penny rounds half up, as SAP and the marketplace do.
        expect(new Decimal(String(back)).minus(amount).abs().lte('0.005')).toBe(true);
      }),
      RUNS,
    );
  });
});
