import Decimal from 'decimal.js';
import type { SapItem, VatGroup } from '../../connectors/ports/sap';
import type { MarketplaceOrder, MarketplaceOrderLine, TaxAmount } from '../../connectors/ports/marketplace';
import { count, type OrdersEnv } from './env';
import { OrderProblem } from './exceptions';
import { resolveVatGroup, taxKeyOf } from './mapping';

export interface ResolvedVat {
  vatGroup: string;
  rate: Decimal;
}

const ZERO = new Decimal(0);
const sum = (values: (Decimal | null)[]) => values.reduce<Decimal>((a, v) => a.plus(v ?? 0), ZERO);

/** SAP's output VAT groups, read once per run. */
function vatGroups(env: OrdersEnv): Promise<VatGroup[]> {
  const cache = env as OrdersEnv & { vatGroupsCache?: Promise<VatGroup[]> };
  cache.vatGroupsCache ??= env.sap.company.outputVatGroups();
  return cache.vatGroupsCache;
}

/**
 * Whether a VAT rate fits a gross and a net amount as the marketplace states them: net × (1 + rate) is the
 * gross, to a penny per unit (each unit's tax is rounded on its own).
 */
export function vatFits(ratePct: Decimal, gross: Decimal, net: Decimal, units: number): boolean {
  return net
    .times(ratePct.div(100).plus(1))
    .minus(gross)
    .abs()
    .lte(new Decimal('0.01').times(Math.max(1, units)));
}

/**
 * A line's gross and net as the marketplace states them when the line carries no tax lines: its share of the
 * order-level taxes where the platform calculates tax per order, else no tax at all (gross = net).
 */
export function statedGrossAndNet(order: MarketplaceOrder, line: MarketplaceOrderLine, gross: boolean): { gross: Decimal; net: Decimal } {
  const price = line.price ?? ZERO;
  const orderTax = sum(order.orderTaxes.map((t) => t.amount));
  const base = sum(order.lines.map((l) => l.price).concat(order.lines.map((l) => l.shippingPrice)));
  const tax = orderTax.isZero() || base.isZero() ? ZERO : orderTax.times(price).div(base);
  return gross ? { gross: price, net: price.minus(tax) } : { gross: price.plus(tax), net: price };
}

/** A marketplace tax list (one line's, or its shipping's) → the SAP output VAT group the mappings give it. */
async function mappedVat(env: OrdersEnv, orderId: string, taxes: readonly TaxAmount[], what: string): Promise<ResolvedVat> {
  const key = taxKeyOf(taxes);
  if (key === null) throw new Error('mappedVat needs a tax line');
  if (key === 'several')
    throw new OrderProblem('vat-mapping-missing', `${orderId}: ${what} carries several taxes; one SAP VAT group cannot hold them`, JSON.stringify(taxes));
  const groups = await vatGroups(env);
  const found = resolveVatGroup(key, env.repo.vatMappings(), groups);
  if (!found)
    throw new OrderProblem(
      'vat-mapping-missing',
      `${orderId}: no SAP VAT group for tax ${key.code ?? '(no code)'} at ${key.rate ?? '?'} % on ${what}`,
      JSON.stringify(key),
    );
  if (found.derived) env.repo.mapVat({ taxCode: key.code, rate: key.rate, vatGroup: found.vatGroup, source: 'derived', by: 'engine' }, env.now());
  const group = groups.find((g) => g.code === found.vatGroup);
  if (!group)
    throw new OrderProblem(
      'vat-mapping-missing',
      `${orderId}: the VAT mapping names group ${found.vatGroup}, which SAP does not have as an output group`,
      null,
    );
  return { vatGroup: group.code, rate: group.rate };
}

/**
 * The VAT group of one order line. With tax lines: the VAT mapping. Without (the marketplace sent `[]` or
 * null): the SAP item's own sales VAT group, only if its rate fits the line's gross and net as the marketplace
 * states them; otherwise `vat-unknown`. A zero-rate group is never picked as a fallback.
 */
export async function lineVat(env: OrdersEnv, order: MarketplaceOrder, line: MarketplaceOrderLine, item: SapItem, grossPrices: boolean): Promise<ResolvedVat> {
  if (line.taxes.length > 0) return mappedVat(env, order.orderId, line.taxes, `line ${line.orderLineId}`);
  const what = `line ${line.orderLineId} (SKU ${line.sku ?? '?'})`;
  const group = item.salesVatGroup ? (await vatGroups(env)).find((g) => g.code === item.salesVatGroup) : undefined;
  const stated = statedGrossAndNet(order, line, grossPrices);
  const figures = `gross ${stated.gross.toFixed(2)}, net ${stated.net.toFixed(2)}`;
  if (!group) {
    throw new OrderProblem(
      'vat-unknown',
      `${order.orderId}: ${what} came without VAT from the marketplace and SAP item ${item.itemCode} has no output VAT group to use instead`,
      `taxes: none; the item's VAT group: ${item.salesVatGroup ?? 'none'}`,
    );
  }
  if (!vatFits(group.rate, stated.gross, stated.net, line.quantity ?? 1)) {
    throw new OrderProblem(
      'vat-unknown',
      `${order.orderId}: ${what} came without VAT from the marketplace, and SAP item ${item.itemCode}'s group ${group.code} (${group.rate.toString()} %) does not fit its price (${figures})`,
      `taxes: none; order_taxes: ${order.orderTaxes.length ? JSON.stringify(order.orderTaxes) : 'none'}`,
    );
  }
  env.repo.event(
    order.orderId,
    'engine',
    `${what}: no VAT from the marketplace; SAP item ${item.itemCode}'s own group ${group.code} (${group.rate.toString()} %) fits its price (${figures})`,
    env.now(),
  );
  count(env, 'vatFromItem');
  return { vatGroup: group.code, rate: group.rate };
}

/**
 * The VAT group of the shipping charge. With shipping tax lines: the VAT mapping. Without: the goods' group when
 * every posted line has the same one and its rate fits the shipping as stated; otherwise `vat-unknown`.
 */
export async function shippingVat(
  env: OrdersEnv,
  order: MarketplaceOrder,
  shippingTaxes: readonly TaxAmount[],
  goods: ResolvedVat[],
  amount: Decimal,
  grossPrices: boolean,
): Promise<ResolvedVat> {
  if (shippingTaxes.length > 0) return mappedVat(env, order.orderId, shippingTaxes, 'shipping');
  const codes = [...new Set(goods.map((g) => g.vatGroup))];
  const only = codes.length === 1 ? goods[0]! : null;
  const orderTax = sum(order.orderTaxes.map((t) => t.amount));
  const base = sum(order.lines.map((l) => l.price).concat(order.lines.map((l) => l.shippingPrice)));
  const tax = orderTax.isZero() || base.isZero() ? ZERO : orderTax.times(amount).div(base);
  const stated = grossPrices ? { gross: amount, net: amount.minus(tax) } : { gross: amount.plus(tax), net: amount };
  if (!only || !vatFits(only.rate, stated.gross, stated.net, 1)) {
    throw new OrderProblem(
      'vat-unknown',
      `${order.orderId}: the shipping charge came without VAT from the marketplace and no single VAT group of the goods fits it (gross ${stated.gross.toFixed(2)}, net ${stated.net.toFixed(2)})`,
      'shipping_taxes: none',
    );
  }
  return only;
}
