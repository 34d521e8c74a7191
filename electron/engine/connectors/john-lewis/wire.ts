import type Decimal from 'decimal.js';
import type { TaxInput } from '../ports/marketplace';

/**
 * Money going out: the exact decimal text as a JSON number (JSON.rawJSON, Node ≥ 21), so 7.90 is sent as
 * 7.90 and never rounded through a float.
 */
export function money(value: Decimal): unknown {
  return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(value.toFixed(2));
}

export function taxes(list: readonly TaxInput[] | undefined): { code: string; amount: unknown }[] | undefined {
  return list?.map((t) => ({ code: t.code, amount: money(t.amount) }));
}
