import Decimal from 'decimal.js';
import type { DocumentDraft } from '../../connectors/sap-b1';
import type { Address, MarketplaceOrder, MarketplaceOrderLine } from '../../connectors/marketplace';
import type { OrdersSettings } from '../../../../shared/domain/orders';
import { sapCountryCode } from './countries';

/** A line ready to post: the marketplace line with the SAP item and VAT group the mappings gave it. */
export interface ResolvedLine {
  line: MarketplaceOrderLine;
  itemCode: string;
  vatGroup: string;
  /** The VAT group's rate in percent, as SAP will apply it. */
  rate: Decimal;
  /** The SAP warehouse the line takes its stock from (the warehouse rule's choice). */
  warehouseCode: string;
}

export interface ResolvedShipping {
  vatGroup: string;
  rate: Decimal;
}

export interface SalesOrderPlan {
  draft: DocumentDraft;
  /** The marketplace's gross total of what is posted: authoritative. */
  marketplaceTotal: Decimal;
  /** What SAP will total before rounding, line by line as SAP rounds. */
  sapTotal: Decimal;
  /** marketplaceTotal − sapTotal, sent as RoundingDiffAmount when not zero. */
  rounding: Decimal;
}

const ZERO = new Decimal(0);
const round2 = (v: Decimal) => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const sum = (values: (Decimal | null)[]) => values.reduce<Decimal>((a, v) => a.plus(v ?? 0), ZERO);

/** Lines that go to SAP: refused and cancelled lines never do. */
export function postableLines(order: MarketplaceOrder): MarketplaceOrderLine[] {
  return order.lines.filter((l) => !['REFUSED', 'CANCELED', 'CANCELLED'].includes(l.state ?? ''));
}

/** The number the customer quotes, per settings; falls back to the commercial id, then the order id. Never cut: see sap-limits.ts. */
export function numAtCardOf(order: MarketplaceOrder, source: OrdersSettings['numAtCardSource']): string {
  const preferred = source === 'order_reference_for_customer' ? order.referenceForCustomer : order.commercialId;
  return preferred ?? order.commercialId ?? order.orderId;
}

/** Dates as the seller's books see them: the UK calendar day. */
export function londonDay(iso: string | null): string | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

const clip = (v: string | null | undefined, n: number) => (v ? v.slice(0, n) : undefined);

/** The ship-to (and bill-to) address, every field optional: Mirakl sends nulls freely. */
export function addressExtension(ship: Address | null, bill: Address | null): DocumentDraft['AddressExtension'] | undefined {
  const out: NonNullable<DocumentDraft['AddressExtension']> = {};
  const name = (a: Address) => [[a.firstname, a.lastname].filter(Boolean).join(' '), a.company].filter(Boolean).join(', ');
  if (ship) {
    out.ShipToBuilding = clip(name(ship), 100);
    out.ShipToStreet = clip(ship.street1, 100);
    out.ShipToAddress2 = clip(ship.street2, 50);
    out.ShipToCity = clip(ship.city, 100);
    out.ShipToZipCode = clip(ship.zipCode, 20);
    out.ShipToCounty = clip(ship.state, 100);
    out.ShipToCountry = sapCountryCode(ship.countryIsoCode) ?? undefined;
  }
  if (bill) {
    out.BillToBuilding = clip(name(bill), 100);
    out.BillToStreet = clip(bill.street1, 100);
    out.BillToAddress2 = clip(bill.street2, 50);
    out.BillToCity = clip(bill.city, 100);
    out.BillToZipCode = clip(bill.zipCode, 20);
    out.BillToCounty = clip(bill.state, 100);
    out.BillToCountry = sapCountryCode(bill.countryIsoCode) ?? undefined;
  }
  for (const k of Object.keys(out) as (keyof typeof out)[]) if (out[k] === undefined || out[k] === '') delete out[k];
  return Object.keys(out).length ? out : undefined;
}

/**
 * SAP's own arithmetic for one line: from the gross unit price it derives the net price, rounds the line's
 * net total to pence, then the line's VAT to pence. Summing those is where a penny can go astray.
 */
export function sapLineTotals(unit: Decimal, quantity: number, ratePct: Decimal, gross: boolean, priceDecimals = 6): { net: Decimal; vat: Decimal } {
  const factor = ratePct.div(100).plus(1);
  const price = gross ? unit.div(factor).toDecimalPlaces(priceDecimals, Decimal.ROUND_HALF_UP) : unit.toDecimalPlaces(priceDecimals, Decimal.ROUND_HALF_UP);
  const net = round2(price.times(quantity));
  return { net, vat: round2(net.times(ratePct).div(100)) };
}

/**
 * The marketplace's gross total of what goes on the Sales Order: the posted lines, their taxes where prices are
 * net, and the shipping with its tax unless the settings keep shipping off the Sales Order.
 */
export function marketplaceTotalOf(order: MarketplaceOrder, settings: OrdersSettings): { total: Decimal; goods: Decimal; shipping: Decimal } {
  const gross = (order.taxMode ?? settings.taxMode) !== 'TAX_EXCLUDED';
  const lines = postableLines(order);
  const goods = sum(lines.map((l) => l.price)).plus(gross ? ZERO : sum(lines.flatMap((l) => l.taxes.map((t) => t.amount))));
  const shipping =
    settings.shipping.as === 'none'
      ? ZERO
      : sum(lines.map((l) => l.shippingPrice)).plus(gross ? ZERO : sum(lines.flatMap((l) => l.shippingTaxes.map((t) => t.amount))));
  return { total: goods.plus(shipping), goods, shipping };
}

/** The Sales Order for a marketplace order, exactly as the issue lists it, with the rounding that makes its total the marketplace's. */
export function buildSalesOrder(
  order: MarketplaceOrder,
  lines: ResolvedLine[],
  shipping: ResolvedShipping | null,
  settings: OrdersSettings,
  priceDecimals = 6,
): SalesOrderPlan {
  const gross = (order.taxMode ?? settings.taxMode) !== 'TAX_EXCLUDED';
  const udfOrder = `U_${settings.udf.orderId}` as const;
  const udfLine = `U_${settings.udf.orderLineId}` as const;
  let sapTotal = ZERO;
  const documentLines: DocumentDraft['DocumentLines'] = lines.map(({ line, itemCode, vatGroup, rate, warehouseCode }) => {
    const quantity = line.quantity ?? 0;
    const unit = line.unitPrice ?? (line.price && quantity ? line.price.div(quantity) : ZERO);
    const t = sapLineTotals(unit, quantity, rate, gross, priceDecimals);
    sapTotal = sapTotal.plus(t.net).plus(t.vat);
    return {
      ItemCode: itemCode,
      Quantity: quantity,
      ...(gross ? { PriceAfterVAT: unit } : { UnitPrice: unit }),
      VatGroup: vatGroup,
      WarehouseCode: warehouseCode,
      [udfLine]: line.orderLineId,
    };
  });

  const shippingAmount = sum(lines.map((l) => l.line.shippingPrice));
  let expenses: DocumentDraft['DocumentAdditionalExpenses'];
  if (settings.shipping.as !== 'none' && shipping && shippingAmount.gt(0)) {
    if (settings.shipping.as === 'service-item') {
      const t = sapLineTotals(shippingAmount, 1, shipping.rate, gross, priceDecimals);
      sapTotal = sapTotal.plus(t.net).plus(t.vat);
      documentLines.push({
        ItemCode: settings.shipping.itemCode,
        Quantity: 1,
        ...(gross ? { PriceAfterVAT: shippingAmount } : { UnitPrice: shippingAmount }),
        VatGroup: shipping.vatGroup,
        WarehouseCode: settings.warehouseCode,
      });
    } else {
      // Freight sent gross keeps its gross (SAP derives the net and takes the VAT as the difference); sent net, SAP adds its VAT.
      sapTotal = sapTotal.plus(gross ? round2(shippingAmount) : round2(shippingAmount).plus(round2(shippingAmount.times(shipping.rate).div(100))));
      expenses = [
        { ExpenseCode: settings.shipping.expenseCode, ...(gross ? { LineGross: shippingAmount } : { LineTotal: shippingAmount }), VatGroup: shipping.vatGroup },
      ];
    }
  }

  const marketplaceTotal = marketplaceTotalOf(order, settings).total;
  const rounding = marketplaceTotal.minus(sapTotal);

  const draft: DocumentDraft = {
    CardCode: settings.cardCode,
    NumAtCard: numAtCardOf(order, settings.numAtCardSource),
    DocDate: londonDay(order.createdDate),
    DocDueDate: londonDay(order.shippingDeadline) ?? londonDay(order.createdDate),
    Comments: `John Lewis Marketplace order ${order.orderId}`.slice(0, 254),
    ...(order.currency ? { DocCurrency: order.currency } : {}),
    AddressExtension: addressExtension(order.shippingAddress, order.billingAddress),
    DocumentLines: documentLines,
    ...(expenses ? { DocumentAdditionalExpenses: expenses } : {}),
    ...(rounding.isZero() ? {} : { Rounding: 'tYES' as const, RoundingDiffAmount: rounding }),
    [udfOrder]: order.orderId,
  };
  if (!draft.AddressExtension) delete draft.AddressExtension;
  if (!draft.DocDate) delete draft.DocDate;
  if (!draft.DocDueDate) delete draft.DocDueDate;
  return { draft, marketplaceTotal, sapTotal, rounding };
}
