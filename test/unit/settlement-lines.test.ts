import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { classBeforeMatching, Totals, ukMonth } from '../../electron/engine/flows/settlement';
import { compare } from '../../electron/engine/flows/settlement/matching';
import type { SalesDocument } from '../../electron/engine/connectors/ports/sap';
import { TRANSACTION_KINDS } from '../../electron/engine/connectors/ports/marketplace';

const d = (v: string) => new Decimal(v);
const invoice = (total: string, vat: string, docEntry = 7): SalesDocument =>
  ({ docEntry, docNum: docEntry + 1000, total: d(total), vatTotal: d(vat), cancelled: false }) as SalesDocument;
const line = (lineId: string, kind: string, amount: string) => ({ lineId, kind, amount: d(amount), orderId: 'O-1', commercialId: '1', refundId: null });

describe('a payout line in the books', () => {
  it('belongs to the month it was created in, UK time', () => {
    // 23:30 UTC on 30 June is 00:30 BST on 1 July; 23:30 UTC on 31 December is still 31 December in GMT.
    expect(ukMonth('2026-06-30T23:30:00Z')).toBe('2026-07');
    expect(ukMonth('2026-06-30T22:59:59Z')).toBe('2026-06');
    expect(ukMonth('2026-12-31T23:30:00Z')).toBe('2026-12');
    expect(ukMonth('2027-01-01T00:00:00Z')).toBe('2027-01');
    expect(ukMonth(null)).toBeNull();
  });

  it('is the payout, pending, reserve or a fee before SAP is asked; sales and refunds wait for matching', () => {
    expect(classBeforeMatching('payment', 'paid', true)).toBe('payment');
    expect(classBeforeMatching('sale', 'pending', true)).toBe('pending');
    expect(classBeforeMatching('commission', 'not-applicable', true)).toBe('pending');
    // Payable but in no cycle: it waits for a later payout.
    expect(classBeforeMatching('sale', 'payable', false)).toBe('pending');
    expect(classBeforeMatching('reserve-held', 'paid', true)).toBe('reserve');
    expect(classBeforeMatching('sale', 'reserve', true)).toBe('reserve');
    for (const kind of [
      'commission',
      'commission-vat-reversal',
      'subscription',
      'manual-credit',
      'seller-fee',
      'purchase-commission',
      'purchase-vat',
      'other',
    ] as const)
      expect(classBeforeMatching(kind, 'paid', true)).toBe('fee');
    for (const kind of ['sale', 'sale-vat', 'shipping', 'shipping-vat', 'refund', 'refund-vat', 'refund-shipping', 'refund-shipping-vat'] as const)
      expect(classBeforeMatching(kind, 'paid', true)).toBeNull();
  });

  it('counts in exactly one total, and the totals add up to the net payout', () => {
    const t = new Totals();
    let expected = new Decimal(0);
    for (const [i, kind] of TRANSACTION_KINDS.filter((k) => k !== 'payment').entries()) {
      const amount = d(`${i + 1}.${String(i).padStart(2, '0')}`).times(i % 2 ? -1 : 1);
      t.add(kind, amount);
      expected = expected.plus(amount);
    }
    const j = t.toJSON();
    expect(j.netPayout).toBe(expected.toFixed(2));
    const parts = [j.sales, j.shipping, j.vat, j.refunds, j.commission, j.commissionVat, j.subscription, j.otherFees, j.reserve];
    expect(parts.reduce((a, v) => a.plus(v), new Decimal(0)).toFixed(2)).toBe(j.netPayout);
    expect(Totals.sum([j, j]).netPayout).toBe(expected.times(2).toFixed(2));
  });
});

describe('a sale against its invoice', () => {
  const sale = { kind: 'sale' as const, orderId: 'O-1', commercialId: '1', refundId: null };
  const lines = [line('a', 'sale', '33.32'), line('b', 'sale-vat', '6.66'), line('c', 'shipping', '3.29'), line('d', 'shipping-vat', '0.66')];

  it('matches when SAP has the same net and VAT', () => {
    const out = compare({ ...sale, lines }, [invoice('43.93', '7.32')], true);
    expect(out.map((m) => m.class)).toEqual(['matched', 'matched', 'matched', 'matched']);
    expect(out.every((m) => m.sap?.docNum === 1007 && m.difference === null)).toBe(true);
  });

  it('differs by a penny net, shown once, on the goods line', () => {
    const out = compare({ ...sale, lines }, [invoice('43.94', '7.32')], true, d('0.05'));
    expect(out.map((m) => m.class)).toEqual(['amount-differs', 'amount-differs', 'amount-differs', 'amount-differs']);
    expect(out.map((m) => m.difference)).toEqual([{ net: '0.01', vat: '0.00' }, null, null, null]);
  });

  it('matches a penny moved between net and VAT within the largest rounding, and shows it', () => {
    const out = compare({ ...sale, lines }, [invoice('43.93', '7.33')], true, d('0.05'));
    expect(out.map((m) => m.class)).toEqual(['matched', 'matched', 'matched', 'matched']);
    expect(out[0]!.difference).toEqual({ net: '-0.01', vat: '0.01' });
    // Beyond it, or with no rounding allowed, the split is a difference.
    expect(compare({ ...sale, lines }, [invoice('43.93', '7.33')], true)[0]!.class).toBe('amount-differs');
    expect(compare({ ...sale, lines }, [invoice('43.93', '7.43')], true, d('0.05'))[0]!.class).toBe('amount-differs');
  });

  it('adds up several invoices of one order; none is missing in SAP', () => {
    expect(compare({ ...sale, lines }, [invoice('20.00', '3.00', 7), invoice('23.93', '4.32', 8)], true).map((m) => m.class)[0]).toBe('matched');
    expect(compare({ ...sale, lines }, [], true).map((m) => [m.class, m.sap])).toEqual(lines.map(() => ['missing-in-sap', null]));
  });

  it('compares a refund with its Credit Memo, signs turned', () => {
    const refund = [line('r1', 'refund', '-4.17'), line('r2', 'refund-vat', '-0.83')];
    const memo = invoice('5.00', '0.83');
    expect(
      compare({ kind: 'refund', orderId: 'O-1', commercialId: '1', refundId: 'R', lines: refund }, [memo], true).map((m) => [m.class, m.sap?.kind]),
    ).toEqual([
      ['matched', 'credit-memo'],
      ['matched', 'credit-memo'],
    ]);
    const short = compare({ kind: 'refund', orderId: 'O-1', commercialId: '1', refundId: 'R', lines: refund }, [invoice('4.00', '0.83')], true);
    expect(short[0]!.difference).toEqual({ net: '-1.00', vat: '0.00' });
  });

  it('on a dropship shop, where the marketplace states no VAT of its own for the sale, compares the net only', () => {
    const net = [line('a', 'sale', '33.32'), line('c', 'shipping', '3.29')];
    expect(compare({ ...sale, lines: net }, [invoice('43.93', '7.32')], false)[0]!.class).toBe('matched');
    expect(compare({ ...sale, lines: net }, [invoice('43.93', '7.32')], true)[0]!.class).toBe('amount-differs');
  });
});
