import Decimal from 'decimal.js';
import fc from 'fast-check';
import type { Address, MarketplaceOrder, MarketplaceOrderLine, TaxAmount } from '../../electron/engine/connectors/ports/marketplace';

/** How many runs each property makes (fast-check's default is 100; these are cheap). */
export const RUNS = { numRuns: 300 };

/** An amount of money in pence between two bounds, as a Decimal with two places. */
export const pounds = (minPence = 0, maxPence = 99_999) => fc.integer({ min: minPence, max: maxPence }).map((p) => new Decimal(p).div(100));

/** UK VAT rates as the marketplace sends them, in percent. */
export const vatRate = fc.constantFrom(0, 5, 20).map((r) => new Decimal(r));

/** Text as customers type it: any characters, emoji and right-to-left scripts included, sometimes very long. */
export const customerText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 140 }) },
  { weight: 1, arbitrary: fc.constantFrom('Zoë 🎁', 'محمد علي', 'תל אביב', '👩‍👩‍👧 family', 'e\u0301clair', `${'a'.repeat(99)}🏠`) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 200, maxLength: 400 }) },
);

export const address: fc.Arbitrary<Address> = fc.record({
  firstname: fc.option(customerText, { nil: null }),
  lastname: fc.option(customerText, { nil: null }),
  company: fc.option(customerText, { nil: null }),
  street1: fc.option(customerText, { nil: null }),
  street2: fc.option(customerText, { nil: null }),
  city: fc.option(customerText, { nil: null }),
  zipCode: fc.option(customerText, { nil: null }),
  state: fc.option(customerText, { nil: null }),
  country: fc.option(customerText, { nil: null }),
  countryIsoCode: fc.option(fc.constantFrom('GBR', 'IRL', 'FRA', 'DEU', 'XXX', 'gb', ''), { nil: null }),
  phone: fc.option(customerText, { nil: null }),
});

/** One order line as the connector reads it: consistent amounts (price = unit × quantity), in the order's tax mode. */
export function orderLine(id: string, gross: boolean): fc.Arbitrary<MarketplaceOrderLine> {
  return fc
    .record({ quantity: fc.integer({ min: 1, max: 20 }), unitGross: pounds(1, 99_999), rate: vatRate, shippingGross: pounds(0, 1_500) })
    .map(({ quantity, unitGross, rate, shippingGross }) => {
      const factor = rate.div(100).plus(1);
      const unitNet = unitGross.div(factor).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      const unit = gross ? unitGross : unitNet;
      const shippingNet = shippingGross.div(factor).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      const tax = (grossAmount: Decimal, netAmount: Decimal): TaxAmount[] => [{ code: 'GB-VAT', rate, amount: grossAmount.minus(netAmount) }];
      return {
        orderLineId: id,
        state: 'shipping',
        stateCode: 'SHIPPING',
        sku: `SKU-${id}`,
        productSku: null,
        title: null,
        quantity,
        unitPrice: unit,
        price: unit.times(quantity),
        shippingPrice: gross ? shippingGross : shippingNet,
        totalPrice: null,
        taxes: tax(unitGross.times(quantity), unitNet.times(quantity)),
        shippingTaxes: tax(shippingGross, shippingNet),
        commissionFee: null,
        refunds: [],
        raw: {},
      } satisfies MarketplaceOrderLine;
    });
}

export function order(gross: boolean): fc.Arbitrary<MarketplaceOrder> {
  return fc
    .record({
      lineCount: fc.integer({ min: 1, max: 6 }),
      shippingAddress: fc.option(address, { nil: null }),
      billingAddress: fc.option(address, { nil: null }),
      createdDate: fc.option(
        fc.date({ min: new Date('2024-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
        { nil: null },
      ),
    })
    .chain(({ lineCount, ...rest }) =>
      fc.tuple(...Array.from({ length: lineCount }, (_, i) => orderLine(`L${i + 1}`, gross))).map((lines) => ({
        orderId: '000000086-A',
        commercialId: '000000086',
        referenceForCustomer: null,
        state: 'shipping' as const,
        stateCode: 'SHIPPING',
        lastUpdatedDate: null,
        acceptanceDecisionDate: null,
        shippingDeadline: null,
        taxMode: gross ? 'TAX_INCLUDED' : 'TAX_EXCLUDED',
        currency: 'GBP',
        price: null,
        shippingPrice: null,
        totalPrice: null,
        totalCommission: null,
        orderTaxes: [],
        canCancel: null,
        shippingCarrierCode: null,
        shippingTracking: null,
        customerName: null,
        lines,
        raw: {},
        ...rest,
      })),
    );
}

/** No half of a surrogate pair: text SAP (and any other system) can keep. */
export const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** A calendar day (YYYY-MM-DD) between 2000 and 2099, the clock changes included. */
export const calendarDay = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** An instant between 2000 and 2099. */
export const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) });
