import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDER_STATES } from '../../electron/engine/connectors/ports/marketplace';
import { toOrder } from '../../electron/engine/connectors/john-lewis/order-map';
import { dec, int, obj, parseJson, readOrNote } from '../../electron/engine/connectors/john-lewis/read';
import { lineState, orderState, refundState, returnState, stateCodes } from '../../electron/engine/connectors/john-lewis/states';
import { paymentState, transactionKind } from '../../electron/engine/connectors/john-lewis/transaction-kinds';
import { problemsOf, refundProblemsOf } from '../../electron/engine/flows/orders/intake';
import { totalFieldOf } from '../../electron/engine/flows/settlement/lines';
import { RUNS } from './arbitraries';

/** Anything a faulty or newer marketplace might send where an order should be: any JSON, odd fields over a real shape. */
const lineish = fc.record(
  {
    order_line_id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    order_line_state: fc.oneof(fc.constantFrom('SHIPPING', 'REFUSED', 'INCIDENT_OPEN', 'NEW_STATE'), fc.constant(null)),
    offer_sku: fc.oneof(fc.string(), fc.constant(null)),
    quantity: fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double(), fc.string(), fc.constant(null)),
    price_unit: fc.oneof(fc.constantFrom('12.50', '12,50', 'NaN', 'Infinity', '-1', '1e400'), fc.double(), fc.constant(null)),
    price: fc.oneof(fc.constantFrom('25.00', 'abc'), fc.double(), fc.constant(null)),
    taxes: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 2 }), fc.jsonValue()),
    refunds: fc.oneof(
      fc.array(fc.dictionary(fc.constantFrom('id', 'amount', 'quantity', 'refund_state', 'shipping_amount'), fc.jsonValue()), { maxLength: 2 }),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);
const orderish = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      order_id: fc.oneof(fc.string(), fc.constant(null)),
      order_state: fc.oneof(fc.constantFrom(...['WAITING_ACCEPTANCE', 'SHIPPING', 'CANCELED', 'SOMETHING_NEW']), fc.jsonValue()),
      order_tax_mode: fc.oneof(fc.constantFrom('TAX_INCLUDED', 'TAX_EXCLUDED', 'TAX_MIXED'), fc.jsonValue()),
      customer: fc.oneof(fc.jsonValue(), fc.record({ shipping_address: fc.jsonValue(), firstname: fc.jsonValue() }, { requiredKeys: [] })),
      order_lines: fc.oneof(fc.array(lineish, { maxLength: 4 }), fc.jsonValue()),
      total_price: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
);
const finite = (d: Decimal | null) => d === null || d.isFinite();

describe('reading what the marketplace sends (OR11)', () => {
  it('is total: any payload reads as an order (or its lack), never throws, never an amount that is not a number or a quantity that is not whole', () => {
    fc.assert(
      fc.property(orderish, (raw) => {
        // Each record of the list as the connector hands it on (obj(): anything not an object reads as an empty one).
        const o = toOrder(obj(raw));
        expect(ORDER_STATES).toContain(o.state);
        for (const l of o.lines) {
          expect(l.quantity === null || Number.isSafeInteger(l.quantity)).toBe(true);
          expect([l.unitPrice, l.price, l.shippingPrice].every(finite)).toBe(true);
          for (const r of l.refunds) expect(r.amount.isFinite() && r.shippingAmount.isFinite()).toBe(true);
        }
        // What the flows decide from it is total as well: a problem in words, or none.
        const problem = problemsOf(o);
        if (problem) expect(problem.detail.length).toBeGreaterThan(0);
        expect(Array.isArray(refundProblemsOf(o))).toBe(true);
      }),
      RUNS,
    );
  });

  it('a value is read, or named as sent when it cannot be: never silently nothing', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(int, dec), (value, read) => {
        const unreadable: string[] = [];
        const out = readOrNote(value, read as (v: unknown) => unknown, 'field', unreadable);
        if (out === null && value !== null && value !== undefined) expect(unreadable).toHaveLength(1);
        else expect(unreadable).toHaveLength(0);
      }),
      RUNS,
    );
  });

  it('whole numbers stay whole and fractions are not whole numbers; amounts keep every digit the marketplace wrote', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 99 }), (n, cents) => {
        expect(int(n)).toBe(n);
        expect(int(String(n))).toBe(n);
        expect(int(`${n}.${cents}`)).toBeNull();
        const text = `${n}.${String(cents).padStart(2, '0')}`;
        const body = parseJson(`{"price": ${text}}`) as { price: unknown };
        expect(dec(body.price)!.toFixed(2)).toBe(new Decimal(text).toFixed(2));
      }),
      RUNS,
    );
    for (const v of ['NaN', 'Infinity', '-Infinity', '12,50', '', ' ']) expect(dec(v)).toBeNull();
  });

  it('every state or kind code reads as one of the console’s, unknown ones ("constructor" too) as unknown; the codes asked for read back as the states asked', () => {
    fc.assert(
      fc.property(
        fc.option(fc.oneof(fc.string(), fc.constantFrom('toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf')), { nil: null }),
        fc.subarray([...ORDER_STATES]),
        (code, states) => {
          expect(ORDER_STATES).toContain(orderState(code));
          expect(typeof lineState(code)).toBe('string');
          expect(typeof returnState(code)).toBe('string');
          expect(['pending', 'refunded', 'unknown']).toContain(refundState(code));
          expect(typeof paymentState(code)).toBe('string');
          expect(typeof transactionKind(code)).toBe('string');
          expect(typeof totalFieldOf(code ?? '')).toBe('string');
          if (code !== null && !/^[A-Z_]+$/.test(code)) {
            expect(orderState(code)).toBe('unknown');
            expect(returnState(code)).toBe('unknown');
          }
          for (const c of stateCodes(states)) expect(states).toContain(orderState(c));
        },
      ),
      RUNS,
    );
  });
});
