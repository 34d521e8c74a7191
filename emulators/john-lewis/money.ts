import Decimal from 'decimal.js';

export const d = (v: Decimal.Value): Decimal => new Decimal(v);
export const round2 = (v: Decimal): Decimal => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** A money value written into JSON with its exact two decimals (7.90, not 7.9 or 7.8999…). */
export function money(v: Decimal): unknown {
  return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(round2(v).toFixed(2));
}

/** A rate as Mirakl shows it (20 for 20 %). */
export function percent(rate: Decimal): unknown {
  return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(rate.times(100).toDecimalPlaces(4).toString());
}
