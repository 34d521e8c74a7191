import Decimal from 'decimal.js';
import type { TaxAmount } from '../../connectors/ports/marketplace';
import type { VatMapping } from './repository';

/** A marketplace tax as the VAT mapping keys it: its code and its rate in percent ("20"). */
export interface TaxKey {
  code: string | null;
  rate: string | null;
}

/** Mirakl sends rates in percent (20 for 20 %); a fraction (0.2) from another platform is read the same way. */
export function ratePercent(rate: Decimal | null): string | null {
  if (rate === null) return null;
  const pct = rate.lt(1) && !rate.isZero() ? rate.times(100) : rate;
  return pct.toDecimalPlaces(4).toString();
}

/** The single tax a line (or its shipping) carries; several non-zero taxes on one line cannot map to one VAT group. */
export function taxKeyOf(taxes: readonly TaxAmount[]): TaxKey | 'several' | null {
  const relevant = taxes.filter((t) => !(t.amount?.isZero() && taxes.length > 1));
  if (relevant.length === 0) return null;
  if (relevant.length > 1) return 'several';
  const t = relevant[0]!;
  return { code: t.code, rate: ratePercent(t.rate) };
}

/**
 * Marketplace tax → SAP output VAT group, a pure rule: the operator's mapping for the code wins, then one for
 * the rate, then the only active output group SAP has at that rate. Null when none (or several) fit.
 */
export function resolveVatGroup(
  key: TaxKey,
  mappings: readonly VatMapping[],
  sapGroups: readonly { code: string; rate: Decimal }[],
): { vatGroup: string; derived: boolean } | null {
  const byCode = key.code ? mappings.find((m) => m.taxCode === key.code && (m.rate === null || m.rate === key.rate)) : undefined;
  if (byCode) return { vatGroup: byCode.vatGroup, derived: false };
  const byRate = key.rate !== null ? mappings.find((m) => m.taxCode === null && m.rate !== null && new Decimal(m.rate).eq(key.rate!)) : undefined;
  if (byRate) return { vatGroup: byRate.vatGroup, derived: false };
  if (key.rate === null) return null;
  const atRate = sapGroups.filter((g) => g.rate.eq(key.rate!));
  return atRate.length === 1 ? { vatGroup: atRate[0]!.code, derived: true } : null;
}
