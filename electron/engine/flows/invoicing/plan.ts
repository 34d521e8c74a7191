import Decimal from 'decimal.js';
import type { CopiedDocumentDraft, SalesDocumentLine, VatGroup } from '../../connectors/ports/sap';
import type { MarketplaceOrder, MarketplaceOrderLine, TaxAmount } from '../../connectors/ports/marketplace';
import type { OrdersSettings } from '../../../../shared/domain/orders';
import { ratePercent } from '../orders/mapping';
import { InvoiceProblem } from './exceptions';

/** A Delivery Note line still open for this order, and the marketplace line it delivers (null: not on the marketplace order). */
export interface OpenDeliveryLine {
  delivery: { docEntry: number; docNum: number };
  line: SalesDocumentLine;
  /** What is still open of the line: what the invoice copies. */
  quantity: number;
  marketplaceLine: MarketplaceOrderLine | null;
}

export interface InvoicePlan {
  draft: CopiedDocumentDraft;
  /** What the marketplace pays for the invoiced lines and their shipping, VAT included: the authority. */
  marketplaceTotal: Decimal;
  goods: Decimal;
  shipping: Decimal;
  /** What SAP will total before rounding, line by line as SAP rounds. */
  sapTotal: Decimal;
  /** marketplaceTotal − sapTotal, sent as a controlled rounding when not zero. */
  rounding: Decimal;
}

const ZERO = new Decimal(0);
const round2 = (v: Decimal) => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const sum = (values: (Decimal | null)[]) => values.reduce<Decimal>((a, v) => a.plus(v ?? 0), ZERO);

/**
 * What the marketplace pays for `quantity` units of a line, VAT included: its price (plus its taxes where prices
 * are net) and its shipping likewise, in proportion when only some of its units are invoiced.
 */
export function marketplaceValueOf(line: MarketplaceOrderLine, quantity: number, gross: boolean): { goods: Decimal; shipping: Decimal } {
  const ordered = line.quantity ?? quantity;
  const share = (v: Decimal) => (quantity === ordered || ordered === 0 ? v : round2(v.times(quantity).div(ordered)));
  const goods = (line.price ?? ZERO).plus(gross ? ZERO : sum(line.taxes.map((t) => t.amount)));
  const shipping = (line.shippingPrice ?? ZERO).plus(gross ? ZERO : sum(line.shippingTaxes.map((t) => t.amount)));
  return { goods: share(goods), shipping: share(shipping) };
}

/** The shipping charged on the invoiced lines, in the order's tax mode (gross or net), as freight is sent. */
function shippingCharged(lines: OpenDeliveryLine[]): Decimal {
  return sum(
    lines.map((l) => {
      const m = l.marketplaceLine!;
      const ordered = m.quantity ?? l.quantity;
      const price = m.shippingPrice ?? ZERO;
      return l.quantity === ordered || ordered === 0 ? price : round2(price.times(l.quantity).div(ordered));
    }),
  );
}

/**
 * The freight's VAT group: the shipping's tax rate (from its tax lines) met by a VAT group of the goods it ships, else
 * by the only SAP output group at that rate; without tax lines, the goods' group when they all have one. Anything
 * else is for a person (the orders flow's rule, read from what SAP put on the Delivery Note's lines).
 */
export function freightVatGroup(orderId: string, lines: OpenDeliveryLine[], groups: readonly VatGroup[]): VatGroup {
  const taxes: TaxAmount[] = lines.flatMap((l) => l.marketplaceLine?.shippingTaxes ?? []).filter((t) => !t.amount || !t.amount.isZero());
  const goodsGroups = [...new Set(lines.map((l) => l.line.vatGroup).filter((g): g is string => !!g))];
  const rates = [...new Set(taxes.map((t) => ratePercent(t.rate)).filter((r): r is string => r !== null))];
  const byCode = (code: string) => groups.find((g) => g.code === code);
  if (rates.length === 0) {
    const only = goodsGroups.length === 1 ? byCode(goodsGroups[0]!) : undefined;
    if (only) return only;
    throw new InvoiceProblem(
      'vat-unknown',
      `${orderId}: the shipping came without VAT from the marketplace and the goods it ships are not in one VAT group (${goodsGroups.join(', ') || 'none'})`,
      'shipping_taxes: none',
    );
  }
  if (rates.length > 1)
    throw new InvoiceProblem(
      'vat-unknown',
      `${orderId}: the shipping carries several VAT rates (${rates.join(', ')} %); one freight line cannot hold them`,
      null,
    );
  const rate = new Decimal(rates[0]!);
  const ofGoods = goodsGroups.map(byCode).filter((g): g is VatGroup => !!g && g.rate.eq(rate));
  if (ofGoods.length === 1) return ofGoods[0]!;
  const atRate = groups.filter((g) => g.rate.eq(rate));
  if (atRate.length === 1) return atRate[0]!;
  throw new InvoiceProblem(
    'vat-unknown',
    `${orderId}: no single SAP output VAT group at the shipping's ${rates[0]} % (${atRate.map((g) => g.code).join(', ') || 'none'})`,
    JSON.stringify(taxes.map((t) => ({ code: t.code, rate: t.rate?.toString() ?? null }))),
  );
}

/**
 * SAP's own arithmetic for a copied line: the whole line copies the Delivery Note's net total and VAT; part of it is
 * the net unit price times the units, rounded to pence, and its VAT at the line's rate, rounded to pence.
 */
function sapLineTotal(l: OpenDeliveryLine, groups: readonly VatGroup[]): Decimal {
  if (l.line.quantity.eq(l.quantity)) return l.line.lineTotal.plus(l.line.vatTotal);
  const rate = groups.find((g) => g.code === l.line.vatGroup)?.rate ?? ZERO;
  const net = round2(l.line.unitPrice.times(l.quantity));
  return net.plus(round2(net.times(rate).div(100)));
}

/**
 * The A/R Invoice for an order's open Delivery Note lines, with freight for their shipping and the rounding that
 * makes SAP's total what the marketplace pays, as the orders flow builds its Sales Order. A rounding beyond the
 * settings' limit means the two disagree on more than pence: a problem for a person, nothing posted.
 */
export function planInvoice(input: {
  order: MarketplaceOrder;
  numAtCard: string;
  customer: string;
  lines: OpenDeliveryLine[];
  vatGroups: readonly VatGroup[];
  settings: OrdersSettings;
}): InvoicePlan {
  const { order, lines, vatGroups, settings } = input;
  const orderId = order.orderId;
  const gross = (order.taxMode ?? settings.taxMode) !== 'TAX_EXCLUDED';
  const shippingItem = settings.shipping.as === 'service-item' ? settings.shipping.itemCode : null;
  const goodsLines = lines.filter((l) => l.marketplaceLine);
  const unknown = lines.filter((l) => !l.marketplaceLine && l.line.itemCode !== shippingItem);
  if (unknown.length) {
    throw new InvoiceProblem(
      'delivery-line-unknown',
      `${orderId}: ${unknown.map((l) => `Delivery Note ${l.delivery.docNum} line ${l.line.lineNum} (${l.line.itemCode})`).join(', ')} is not on the marketplace order`,
      null,
    );
  }

  let goods = ZERO;
  let shipping = ZERO;
  for (const l of goodsLines) {
    const value = marketplaceValueOf(l.marketplaceLine!, l.quantity, gross);
    goods = goods.plus(value.goods);
    shipping = shipping.plus(value.shipping);
  }
  if (settings.shipping.as === 'none') shipping = ZERO;
  let sapTotal = sum(lines.map((l) => sapLineTotal(l, vatGroups)));

  let freight: CopiedDocumentDraft['freight'];
  const charged = shippingCharged(goodsLines);
  if (settings.shipping.as === 'freight' && charged.gt(0)) {
    const group = freightVatGroup(orderId, goodsLines, vatGroups);
    // Freight sent gross keeps its gross (SAP derives the net); sent net, SAP adds its VAT.
    sapTotal = sapTotal.plus(gross ? round2(charged) : round2(charged).plus(round2(charged.times(group.rate).div(100))));
    freight = { expenseCode: settings.shipping.expenseCode, amount: charged, vatGroup: group.code };
  }

  const marketplaceTotal = goods.plus(shipping);
  const rounding = marketplaceTotal.minus(sapTotal);
  if (rounding.abs().gt(settings.maxRounding)) {
    throw new InvoiceProblem(
      'totals-differ',
      `${orderId}: SAP would total the invoice ${sapTotal.toFixed(2)}, the marketplace pays ${marketplaceTotal.toFixed(2)} for the same lines (goods ${goods.toFixed(2)}, shipping ${shipping.toFixed(2)})`,
      `SAP ${sapTotal.toFixed(2)}; marketplace ${marketplaceTotal.toFixed(2)}; allowed rounding ${settings.maxRounding}`,
    );
  }
  const deliveries = [...new Map(lines.map((l) => [l.delivery.docEntry, l.delivery.docNum])).values()];
  const draft: CopiedDocumentDraft = {
    customer: input.customer,
    customerReference: input.numAtCard,
    marketplaceOrderId: orderId,
    remarks: `John Lewis Marketplace order ${orderId}: Delivery Note${deliveries.length > 1 ? 's' : ''} ${deliveries.join(', ')}`,
    pricesIncludeVat: gross,
    lines: lines.map((l) => ({ base: { kind: 'delivery-note', docEntry: l.delivery.docEntry, lineNum: l.line.lineNum }, quantity: l.quantity })),
    ...(freight ? { freight } : {}),
    ...(rounding.isZero() ? {} : { rounding }),
  };
  return { draft, marketplaceTotal, goods, shipping, sapTotal, rounding };
}
