import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { SapBusinessError } from '../../../electron/engine/connectors/sap-b1';
import type { Address, MarketplaceOrder } from '../../../electron/engine/connectors/ports/marketplace';
import { documentDraftOf } from '../../../electron/engine/connectors/sap-b1/port';
import {
  postalAddressOf,
  buildSalesOrder,
  decideAcceptance,
  numAtCardOf,
  resolveVatGroup,
  sapCountryCode,
  sapLineTotals,
} from '../../../electron/engine/flows/orders';
import { classifySapRefusal } from '../../../electron/engine/flows/orders/exceptions';
import { DEFAULT_ORDERS_SETTINGS } from '../../../shared/domain/orders';

const d = (v: string | number) => new Decimal(v);
const blank: Address = {
  firstname: null,
  lastname: null,
  company: null,
  street1: null,
  street2: null,
  city: null,
  zipCode: null,
  state: null,
  country: null,
  countryIsoCode: null,
  phone: null,
};

function order(overrides: Partial<MarketplaceOrder> = {}): MarketplaceOrder {
  return {
    orderId: '000000086-A',
    commercialId: '000000086',
    referenceForCustomer: 'JL000000086',
    state: 'shipping',
    stateCode: 'SHIPPING',
    createdDate: '2026-06-30T23:30:00Z',
    lastUpdatedDate: null,
    acceptanceDecisionDate: null,
    shippingDeadline: '2026-07-03T10:00:00Z',
    taxMode: 'TAX_INCLUDED',
    currency: 'GBP',
    price: d('9.99'),
    shippingPrice: d('0'),
    totalPrice: d('9.99'),
    totalCommission: null,
    orderTaxes: [],
    canCancel: true,
    shippingCarrierCode: null,
    shippingTracking: null,
    shippingAddress: null,
    billingAddress: null,
    customerName: null,
    raw: {},
    lines: [
      {
        orderLineId: 'L1',
        state: 'shipping',
        stateCode: 'SHIPPING',
        sku: 'SKU1',
        productSku: null,
        title: null,
        quantity: 3,
        unitPrice: d('3.33'),
        price: d('9.99'),
        shippingPrice: d('0'),
        totalPrice: d('9.99'),
        taxes: [{ code: 'GB-VAT-STD', rate: d(20), amount: d('1.66') }],
        shippingTaxes: [],
        refunds: [],
        commissionFee: null,
        raw: {},
      },
    ],
    ...overrides,
  };
}

describe('orders rules', () => {
  it('takes the customer’s number from the commercial id by default, or the reference for the customer', () => {
    expect(numAtCardOf(order(), 'commercial_id')).toBe('000000086');
    expect(numAtCardOf(order(), 'order_reference_for_customer')).toBe('JL000000086');
    expect(numAtCardOf(order({ referenceForCustomer: null }), 'order_reference_for_customer')).toBe('000000086');
  });

  it('maps ISO alpha-3 countries to SAP codes and tolerates null address fields', () => {
    expect(sapCountryCode('GBR')).toBe('GB');
    expect(sapCountryCode(null)).toBeNull();
    expect(sapCountryCode('XYZ')).toBeNull();
    expect(postalAddressOf(null)).toBeUndefined();
    expect(postalAddressOf({ ...blank })).toBeUndefined();
    expect(postalAddressOf({ ...blank, city: 'Leeds', countryIsoCode: null })).toEqual({ city: 'Leeds' });
    const ann = postalAddressOf({ ...blank, firstname: 'Ann', company: 'ACME', street1: '1 High St', zipCode: 'LS1 1AA', countryIsoCode: 'IRL' });
    expect(ann).toEqual({ name: 'Ann, ACME', street: '1 High St', postcode: 'LS1 1AA', country: 'IE' });
    // The SAP connector puts it in SAP's address fields.
    const fields = { orderId: 'JLM_OrderId', orderLineId: 'JLM_LineId', returnId: 'JLM_ReturnId', refundId: 'JLM_RefundId', carrier: null };
    expect(
      documentDraftOf({ customer: 'C', customerReference: '1', marketplaceOrderId: '1-A', remarks: '', shipTo: ann, pricesIncludeVat: true, lines: [] }, fields)
        .AddressExtension,
    ).toEqual({
      ShipToBuilding: 'Ann, ACME',
      ShipToStreet: '1 High St',
      ShipToZipCode: 'LS1 1AA',
      ShipToCountry: 'IE',
    });
  });

  it('predicts SAP’s line rounding and corrects the difference to the marketplace total', () => {
    expect(sapLineTotals(d('3.33'), 3, d(20), true)).toEqual({ net: d('8.33'), vat: d('1.67') });
    const plan = buildSalesOrder(
      order(),
      [{ line: order().lines[0]!, itemCode: 'SKU1', vatGroup: 'O1', rate: d(20), warehouseCode: '01' }],
      null,
      DEFAULT_ORDERS_SETTINGS,
    );
    expect(plan.sapTotal.toFixed(2)).toBe('10.00');
    expect(plan.rounding.toFixed(2)).toBe('-0.01');
    expect(plan.draft).toMatchObject({
      customer: 'C-JLM',
      customerReference: '000000086',
      postingDate: '2026-07-01',
      dueDate: '2026-07-03',
      rounding: d('-0.01'),
      marketplaceOrderId: '000000086-A',
    });
    expect(plan.draft.lines[0]).toMatchObject({ itemCode: 'SKU1', quantity: 3, vatGroup: 'O1', warehouse: '01', marketplaceLineId: 'L1' });
    // The SAP connector writes it with SAP's names, its Yes/No and the company's fields for the marketplace ids.
    const sapDraft = documentDraftOf(plan.draft, {
      orderId: 'JLM_OrderId',
      orderLineId: 'JLM_LineId',
      returnId: 'JLM_ReturnId',
      refundId: 'JLM_RefundId',
      carrier: null,
    });
    expect(sapDraft).toMatchObject({
      CardCode: 'C-JLM',
      NumAtCard: '000000086',
      DocDate: '2026-07-01',
      DocDueDate: '2026-07-03',
      Rounding: 'tYES',
      U_JLM_OrderId: '000000086-A',
    });
    expect(sapDraft.DocumentLines[0]).toMatchObject({
      ItemCode: 'SKU1',
      Quantity: 3,
      PriceAfterVAT: d('3.33'),
      VatGroup: 'O1',
      WarehouseCode: '01',
      U_JLM_LineId: 'L1',
    });
  });

  it('posts net prices as UnitPrice and adds the marketplace taxes to the authoritative total', () => {
    const net = order({
      taxMode: 'TAX_EXCLUDED',
      lines: [{ ...order().lines[0]!, unitPrice: d('2.78'), price: d('8.34'), taxes: [{ code: 'GB-VAT-STD', rate: d(20), amount: d('1.67') }] }],
    });
    const plan = buildSalesOrder(
      net,
      [{ line: net.lines[0]!, itemCode: 'SKU1', vatGroup: 'O1', rate: d(20), warehouseCode: '01' }],
      null,
      DEFAULT_ORDERS_SETTINGS,
    );
    expect(plan.draft.lines[0]!.unitPrice).toEqual(d('2.78'));
    expect(plan.draft.pricesIncludeVat).toBe(false);
    expect(plan.marketplaceTotal.toFixed(2)).toBe('10.01');
    expect(plan.rounding.toFixed(2)).toBe('0.00');
  });

  it('accepts automatically only when every line is sellable and covered; otherwise follows the policy', () => {
    const ok = [{ orderLineId: 'a', check: 'ok' as const }];
    const short = [...ok, { orderLineId: 'b', check: 'short' as const }];
    expect(decideAcceptance(ok, 'hold-for-person', true)).toMatchObject({ kind: 'decide', decisions: [{ orderLineId: 'a', accepted: true }] });
    expect(decideAcceptance(ok, 'accept-all', false).kind).toBe('hold');
    expect(decideAcceptance(short, 'hold-for-person', true).kind).toBe('hold');
    expect(decideAcceptance(short, 'accept-all', true)).toMatchObject({ decisions: [{ accepted: true }, { accepted: true }] });
    expect(decideAcceptance(short, 'refuse-short-lines', true)).toMatchObject({ decisions: [{ accepted: true }, { accepted: false }] });
    expect(decideAcceptance([{ orderLineId: 'a', check: 'unknown-stock' }], 'refuse-short-lines', true)).toMatchObject({ decisions: [{ accepted: true }] });
    expect(decideAcceptance([{ orderLineId: 'a', check: 'unknown-stock' }], 'hold-for-person', true).kind).toBe('hold');
  });

  it('maps a marketplace tax to an SAP VAT group: operator mapping by code, then by rate, then the only SAP group at that rate', () => {
    const groups = [
      { code: 'O1', rate: d(20) },
      { code: 'O2', rate: d(5) },
      { code: 'X5', rate: d(5) },
    ];
    const m = (taxCode: string | null, rate: string | null, vatGroup: string) => ({
      id: 1,
      taxCode,
      rate,
      vatGroup,
      source: 'operator' as const,
      updatedBy: 'x',
      updatedAt: '',
    });
    expect(resolveVatGroup({ code: 'GB-VAT-STD', rate: '20' }, [], groups)).toEqual({ vatGroup: 'O1', derived: true });
    expect(resolveVatGroup({ code: 'GB-VAT-RED', rate: '5' }, [], groups)).toBeNull(); // two groups at 5 %
    expect(resolveVatGroup({ code: 'GB-VAT-RED', rate: '5' }, [m(null, '5', 'O2')], groups)).toEqual({ vatGroup: 'O2', derived: false });
    expect(resolveVatGroup({ code: 'GB-VAT-RED', rate: '5' }, [m(null, '5', 'O2'), m('GB-VAT-RED', null, 'X5')], groups)).toEqual({
      vatGroup: 'X5',
      derived: false,
    });
  });

  it('sorts SAP’s refusals into the exception an operator can act on, keeping SAP’s message verbatim', () => {
    const refuse = (message: string) =>
      classifySapRefusal(new SapBusinessError(`SAP -10: ${message}`, { kind: 'business', code: '-10', sapMessage: message }), 'X-A');
    expect(refuse("Invalid country code 'ZZ' [ShipToCountry]")).toMatchObject({
      type: 'address-rejected',
      rawError: "Invalid country code 'ZZ' [ShipToCountry]",
    });
    expect(refuse("Invalid item code 'NOPE' [DocumentLines][line: 1]")!.type).toBe('sku-unknown');
    expect(refuse("Item 'SKU000500' is inactive [DocumentLines][line: 1]")!.type).toBe('item-frozen');
    expect(refuse("Invalid BP code 'C-X'")!.type).toBe('business-partner-missing');
    expect(refuse("Property 'U_JLM_OrderId' of 'Document' is invalid")!.type).toBe('udf-missing');
    expect(refuse('Something else entirely')!.type).toBe('sap-rejected');
  });
});
