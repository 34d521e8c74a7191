import Decimal from 'decimal.js';

/** Money as the contract carries it: a decimal string (or a Decimal), never a float. */
export type Amount = string | Decimal;

const SYMBOLS: Record<string, string> = { GBP: '£', EUR: '€', USD: '$' };

function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * "£53.92", "£1,053.92", "-£2.00"; a currency without a symbol here reads "53.92 CHF", and one the engine did not
 * know reads as the bare amount. Two places, rounded half up as the marketplace states money.
 */
export function formatMoney(amount: Amount | null, currency: string | null): string {
  if (amount === null) return '—';
  let value: Decimal;
  try {
    value = new Decimal(amount);
  } catch {
    return String(amount);
  }
  const [whole, cents] = value.abs().toFixed(2, Decimal.ROUND_HALF_UP).split('.');
  const text = `${grouped(whole!)}.${cents!}`;
  const sign = value.isNegative() && !value.isZero() ? '-' : '';
  const symbol = currency ? SYMBOLS[currency.toUpperCase()] : undefined;
  if (symbol) return `${sign}${symbol}${text}`;
  return currency ? `${sign}${text} ${currency}` : `${sign}${text}`;
}

/** An amount a person typed: digits with at most two decimal places ("12", "12.5", "12.50"); null when it is not one. */
export function parseAmount(text: string): Decimal | null {
  const t = text.trim();
  return /^\d{1,9}(\.\d{1,2})?$/.test(t) ? new Decimal(t) : null;
}

/** Σ of decimal strings, exactly. */
export function sum(amounts: readonly Amount[]): Decimal {
  return amounts.reduce<Decimal>((total, a) => total.plus(a), new Decimal(0));
}
