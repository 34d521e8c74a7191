import Decimal from 'decimal.js';
import type { MarketplaceOrder } from '../../connectors/ports/marketplace';
import type { OrdersSettings } from '../../../../shared/domain/orders';
import { numAtCardOf, postableLines } from './draft';
import type { PostingLimits } from './preflight';

/** SAP's NumAtCard (ORDR) holds 100 characters. */
export const NUM_AT_CARD_LENGTH = 100;

/**
 * The first value of an order that SAP, as this company is set up, cannot hold as it is: too long for its field,
 * a currency the company (or the business partner) does not keep, a price with more decimals than SAP keeps.
 * Null when every value fits. Found before the create, so nothing is cut or rounded silently.
 */
export function unfitValue(order: MarketplaceOrder, limits: PostingLimits, settings: OrdersSettings): string | null {
  const tooLong = unfitLength(order, limits, settings);
  if (tooLong) return tooLong;
  const lines = postableLines(order);
  const company = limits.company;
  if (order.currency && company && !company.currencies.includes(order.currency)) {
    return `the order is in ${order.currency}, a currency the SAP company does not have (it has ${company.currencies.join(', ') || 'none'})`;
  }
  if (order.currency && limits.partnerCurrency && limits.partnerCurrency !== '##' && limits.partnerCurrency !== order.currency) {
    return `the order is in ${order.currency}; business partner ${settings.cardCode} is kept in ${limits.partnerCurrency}`;
  }
  if (company) {
    for (const line of lines) {
      const unit = line.unitPrice ?? (line.price && line.quantity ? line.price.div(line.quantity) : null);
      if (unit && unit.decimalPlaces() > company.priceDecimals) {
        return `line ${line.orderLineId}'s unit price ${unit.toString()} has ${unit.decimalPlaces()} decimal places; SAP keeps prices to ${company.priceDecimals}`;
      }
      const amounts: [string, Decimal | null][] = [
        ['price', line.price],
        ['shipping price', line.shippingPrice],
      ];
      for (const [what, amount] of amounts) {
        if (amount && amount.decimalPlaces() > company.totalsDecimals)
          return `line ${line.orderLineId}'s ${what} ${amount.toString()} has ${amount.decimalPlaces()} decimal places; SAP keeps amounts to ${company.totalsDecimals}`;
      }
    }
  }
  return null;
}

/**
 * The first id of an order too long for the SAP field that holds it. Such an order cannot be in SAP (nobody could
 * have entered it), so this is known before SAP is asked for it — and SAP could not even be asked.
 */
export function unfitLength(order: MarketplaceOrder, limits: PostingLimits, settings: OrdersSettings): string | null {
  const field = (label: string | null, what: string) => `SAP's field ${label ?? `for the ${what}`}`;
  if (limits.orderIdLength !== null && order.orderId.length > limits.orderIdLength) {
    return `the order id has ${order.orderId.length} characters; ${field(limits.orderIdField, 'order id')} holds ${limits.orderIdLength}`;
  }
  const numAtCard = numAtCardOf(order, settings.numAtCardSource);
  if (numAtCard.length > NUM_AT_CARD_LENGTH)
    return `the customer's order number has ${numAtCard.length} characters; SAP's NumAtCard holds ${NUM_AT_CARD_LENGTH}`;
  const longLine = limits.lineIdLength !== null ? postableLines(order).find((l) => l.orderLineId.length > limits.lineIdLength!) : undefined;
  if (longLine)
    return `line id '${longLine.orderLineId.slice(0, 60)}…' has ${longLine.orderLineId.length} characters; ${field(limits.lineIdField, 'line id')} holds ${limits.lineIdLength}`;
  return null;
}
