import Decimal from 'decimal.js';
import type { PostalAddress, SalesOrderDraft, SalesOrderDraftLine } from '../../connectors/ports/sap';
import type { Address, MarketplaceOrder, MarketplaceOrderLine } from '../../connectors/ports/marketplace';
import type { OrdersSettings } from '../../../../shared/domain/orders';
import { sapCountryCode } from './countries';
import { LINE_GONE } from './states';

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
  draft: SalesOrderDraft;
  /** The marketplace's gross total of what is posted: authoritative. */
  marketplaceTotal: Decimal;
  /** What SAP will total before rounding, line by line as SAP rounds. */
  sapTotal: Decimal;
  /** marketplaceTotal − sapTotal, sent as a controlled rounding when not zero. */
  rounding: Decimal;
}

const ZERO = new Decimal(0);
const round2 = (v: Decimal) => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const sum = (values: (Decimal | null)[]) => values.reduce<Decimal>((a, v) => a.plus(v ?? 0), ZERO);

/** Lines that go to SAP: refused and cancelled lines never do. */
export function postableLines(order: MarketplaceOrder): MarketplaceOrderLine[] {
  return order.lines.filter((l) => !LINE_GONE.includes(l.state));
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

/** A marketplace address as the Sales Order holds it: every part optional (Mirakl sends nulls freely). */
export function postalAddressOf(a: Address | null): PostalAddress | undefined {
  if (!a) return undefined;
  const name = [[a.firstname, a.lastname].filter(Boolean).join(' '), a.company].filter(Boolean).join(', ');
  const out: PostalAddress = {
    name: name || undefined,
    street: a.street1 ?? undefined,
    street2: a.street2 ?? undefined,
    city: a.city ?? undefined,
    postcode: a.zipCode ?? undefined,
    county: a.state ?? undefined,
    country: sapCountryCode(a.countryIsoCode) ?? undefined,
  };
  for (const k of Object.keys(out) as (keyof PostalAddress)[]) if (out[k] === undefined) delete out[k];
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
  let sapTotal = ZERO;
  const draftLines: SalesOrderDraftLine[] = lines.map(({ line, itemCode, vatGroup, rate, warehouseCode }) => {
    const quantity = line.quantity ?? 0;
    const unit = line.unitPrice ?? (line.price && quantity ? line.price.div(quantity) : ZERO);
    const t = sapLineTotals(unit, quantity, rate, gross, priceDecimals);
    sapTotal = sapTotal.plus(t.net).plus(t.vat);
    return { itemCode, quantity, unitPrice: unit, vatGroup, warehouse: warehouseCode, marketplaceLineId: line.orderLineId };
  });

  const shippingAmount = sum(lines.map((l) => l.line.shippingPrice));
  let freight: SalesOrderDraft['freight'];
  if (settings.shipping.as !== 'none' && shipping && shippingAmount.gt(0)) {
    if (settings.shipping.as === 'service-item') {
      const t = sapLineTotals(shippingAmount, 1, shipping.rate, gross, priceDecimals);
      sapTotal = sapTotal.plus(t.net).plus(t.vat);
      draftLines.push({
        itemCode: settings.shipping.itemCode,
        quantity: 1,
        unitPrice: shippingAmount,
        vatGroup: shipping.vatGroup,
        warehouse: settings.warehouseCode,
      });
    } else {
      // Freight sent gross keeps its gross (SAP derives the net and takes the VAT as the difference); sent net, SAP adds its VAT.
      sapTotal = sapTotal.plus(gross ? round2(shippingAmount) : round2(shippingAmount).plus(round2(shippingAmount.times(shipping.rate).div(100))));
      freight = { expenseCode: settings.shipping.expenseCode, amount: shippingAmount, vatGroup: shipping.vatGroup };
    }
  }

  const marketplaceTotal = marketplaceTotalOf(order, settings).total;
  const rounding = marketplaceTotal.minus(sapTotal);
  const postingDate = londonDay(order.createdDate);
  const dueDate = londonDay(order.shippingDeadline) ?? postingDate;
  const shipTo = postalAddressOf(order.shippingAddress);
  const billTo = postalAddressOf(order.billingAddress);

  const draft: SalesOrderDraft = {
    customer: settings.cardCode,
    customerReference: numAtCardOf(order, settings.numAtCardSource),
    marketplaceOrderId: order.orderId,
    ...(postingDate ? { postingDate } : {}),
    ...(dueDate ? { dueDate } : {}),
    remarks: `John Lewis Marketplace order ${order.orderId}`,
    ...(order.currency ? { currency: order.currency } : {}),
    ...(shipTo ? { shipTo } : {}),
    ...(billTo ? { billTo } : {}),
    pricesIncludeVat: gross,
    lines: draftLines,
    ...(freight ? { freight } : {}),
    ...(rounding.isZero() ? {} : { rounding }),
  };
  return { draft, marketplaceTotal, sapTotal, rounding };
}
