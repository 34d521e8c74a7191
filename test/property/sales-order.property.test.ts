import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentDraftOf } from '../../electron/engine/connectors/sap-b1/port';
import {
  buildSalesOrder,
  londonDay,
  marketplaceTotalOf,
  numAtCardOf,
  postalAddressOf,
  sapLineTotals,
  type ResolvedLine,
} from '../../electron/engine/flows/orders/draft';
import { OrdersSettingsSchema, type OrdersSettings } from '../../shared/domain/orders';
import { address, order, pounds, RUNS, vatRate, wellFormed } from './arbitraries';

const FIELDS = { orderId: 'JLM_OrderId', orderLineId: 'JLM_LineId', returnId: 'JLM_ReturnId', refundId: 'JLM_RefundId', carrier: null };
const groupOf = (rate: Decimal) => `V${rate.toString()}`;
const rateOf = (group: string) => new Decimal(group.slice(1));
const shippingSetting = fc.constantFrom<OrdersSettings['shipping']>(
  { as: 'freight', expenseCode: 1 },
  { as: 'service-item', itemCode: 'SHIP' },
  { as: 'none' },
);
const resolve = (o: ReturnType<typeof order> extends fc.Arbitrary<infer T> ? T : never): ResolvedLine[] =>
  o.lines.map((line) => ({ line, itemCode: line.sku!, vatGroup: groupOf(line.taxes[0]!.rate!), rate: line.taxes[0]!.rate!, warehouseCode: '01' }));

describe('marketplace order → SAP Sales Order (the draft and what SAP makes of it)', () => {
  it('SAP’s own arithmetic over the draft as sent, plus its rounding, is the marketplace’s total to the penny', () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((gross) => fc.tuple(order(gross), shippingSetting, fc.constant(gross))),
        ([o, shipping, gross]) => {
          const settings = OrdersSettingsSchema.parse({ shipping });
          const plan = buildSalesOrder(
            o,
            resolve(o),
            { vatGroup: groupOf(o.lines[0]!.shippingTaxes[0]!.rate!), rate: o.lines[0]!.shippingTaxes[0]!.rate! },
            settings,
          );
          const d = plan.draft;
          // What SAP totals, recomputed from nothing but the draft it receives.
          let sap = new Decimal(0);
          for (const l of d.lines) {
            const t = sapLineTotals(l.unitPrice, l.quantity, rateOf(l.vatGroup), d.pricesIncludeVat);
            sap = sap.plus(t.net).plus(t.vat);
          }
          if (d.freight) {
            const amount = d.freight.amount.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
            sap = sap.plus(
              d.pricesIncludeVat ? amount : amount.plus(amount.times(rateOf(d.freight.vatGroup)).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP)),
            );
          }
          const total = sap.plus(d.rounding ?? 0);
          expect(total.toFixed(2)).toBe(marketplaceTotalOf(o, settings).total.toFixed(2));
          expect(d.pricesIncludeVat).toBe(gross);
          // A rounding goes only when there is one, to the penny.
          expect(d.rounding === undefined).toBe(plan.rounding.isZero());
          expect(plan.rounding.decimalPlaces()).toBeLessThanOrEqual(2);
        },
      ),
      RUNS,
    );
  });

  it('with gross prices SAP is off the customer’s total by no more than its own rounding: half a penny on each line’s net and on its VAT', () => {
    fc.assert(
      fc.property(order(true), (o) => {
        const settings = OrdersSettingsSchema.parse({ shipping: { as: 'freight', expenseCode: 1 } });
        const plan = buildSalesOrder(o, resolve(o), { vatGroup: 'V20', rate: new Decimal(20) }, settings);
        const bound = o.lines.reduce((b, l) => b.plus(new Decimal('0.0055').times(l.taxes[0]!.rate!.div(100).plus(1)).plus('0.005')), new Decimal(0));
        expect(plan.rounding.abs().lte(bound)).toBe(true);
      }),
      RUNS,
    );
  });

  it('every marketplace line is one Sales Order line: its item, quantity, unit price as sent and line id, in order', () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((gross) => order(gross)),
        (o) => {
          const settings = OrdersSettingsSchema.parse({ shipping: { as: 'freight', expenseCode: 1 } });
          const { draft } = buildSalesOrder(o, resolve(o), null, settings);
          expect(draft.lines.map((l) => [l.itemCode, l.quantity, l.unitPrice.toString(), l.marketplaceLineId])).toEqual(
            o.lines.map((l) => [l.sku, l.quantity, l.unitPrice!.toString(), l.orderLineId]),
          );
          expect(draft.customerReference).toBe(numAtCardOf(o, settings.numAtCardSource));
          expect(draft.marketplaceOrderId).toBe(o.orderId);
          expect(draft.postingDate).toBe(londonDay(o.createdDate));
        },
      ),
      RUNS,
    );
  });

  it('one line as SAP rounds it: net and VAT to the penny, within SAP’s rounding of the gross', () => {
    fc.assert(
      fc.property(pounds(1, 99_999), fc.integer({ min: 1, max: 1_000 }), vatRate, fc.boolean(), (unit, quantity, rate, gross) => {
        const { net, vat } = sapLineTotals(unit, quantity, rate, gross);
        expect(net.decimalPlaces()).toBeLessThanOrEqual(2);
        expect(vat.decimalPlaces()).toBeLessThanOrEqual(2);
        expect(net.isNegative() || vat.isNegative()).toBe(false);
        const wanted = gross ? unit.times(quantity) : unit.times(quantity).times(rate.div(100).plus(1));
        // Half a penny on the net (and what the six-place price carries over the quantity) and half a penny on the VAT.
        const slack = new Decimal('0.005').plus(new Decimal('0.0000005').times(quantity)).times(rate.div(100).plus(1)).plus('0.005');
        expect(net.plus(vat).minus(wanted).abs().lte(slack)).toBe(true);
      }),
      RUNS,
    );
  });

  it('the address SAP gets: each part within its field, a start of what the customer typed, never half a character, never empty', () => {
    const sizes: Record<string, number> = { Building: 100, Street: 100, Address2: 50, City: 100, ZipCode: 20, County: 100 };
    fc.assert(
      fc.property(fc.option(address, { nil: null }), fc.option(address, { nil: null }), (shipTo, billTo) => {
        const postal = { ship: postalAddressOf(shipTo), bill: postalAddressOf(billTo) };
        const draft = documentDraftOf(
          {
            customer: 'C',
            customerReference: 'R',
            marketplaceOrderId: 'O',
            remarks: 'x',
            pricesIncludeVat: true,
            lines: [],
            shipTo: postal.ship,
            billTo: postal.bill,
          },
          FIELDS,
        );
        const ext = (draft.AddressExtension ?? {}) as Record<string, string>;
        for (const [key, value] of Object.entries(ext)) {
          const [side, part] = key.startsWith('ShipTo') ? ['ship', key.slice(6)] : ['bill', key.slice(6)];
          expect(value).not.toBe('');
          expect(wellFormed(value)).toBe(true);
          if (part === 'Country') {
            expect(value).toMatch(/^[A-Z]{2}$/);
            continue;
          }
          expect(value.length).toBeLessThanOrEqual(sizes[part]!);
          const source = postal[side as 'ship' | 'bill']!;
          const whole = {
            Building: source.name,
            Street: source.street,
            Address2: source.street2,
            City: source.city,
            ZipCode: source.postcode,
            County: source.county,
          }[part];
          expect(whole!.startsWith(value)).toBe(true);
        }
        if (!postal.ship && !postal.bill) expect(draft.AddressExtension).toBeUndefined();
      }),
      RUNS,
    );
  });
});
