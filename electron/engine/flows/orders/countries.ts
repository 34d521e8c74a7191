/**
 * ISO 3166 alpha-3 (what Mirakl sends in country_iso_code) → alpha-2 (what SAP B1 keys its countries by,
 * OCRY.Code). The UK is 'GB' in SAP. Countries John Lewis delivers to first; extend when a new one appears.
 */
const ALPHA3_TO_ALPHA2: Readonly<Record<string, string>> = {
  GBR: 'GB',
  IRL: 'IE',
  IMN: 'IM',
  JEY: 'JE',
  GGY: 'GG',
  GIB: 'GI',
  FRA: 'FR',
  DEU: 'DE',
  ESP: 'ES',
  ITA: 'IT',
  NLD: 'NL',
  BEL: 'BE',
  LUX: 'LU',
  PRT: 'PT',
  AUT: 'AT',
  CHE: 'CH',
  DNK: 'DK',
  SWE: 'SE',
  NOR: 'NO',
  FIN: 'FI',
  ISL: 'IS',
  POL: 'PL',
  CZE: 'CZ',
  SVK: 'SK',
  HUN: 'HU',
  SVN: 'SI',
  HRV: 'HR',
  ROU: 'RO',
  BGR: 'BG',
  GRC: 'GR',
  CYP: 'CY',
  MLT: 'MT',
  EST: 'EE',
  LVA: 'LV',
  LTU: 'LT',
  USA: 'US',
  CAN: 'CA',
  AUS: 'AU',
  NZL: 'NZ',
  JPN: 'JP',
  CHN: 'CN',
  HKG: 'HK',
  SGP: 'SG',
  IND: 'IN',
  ARE: 'AE',
  SAU: 'SA',
  ZAF: 'ZA',
  BRA: 'BR',
  MEX: 'MX',
  TUR: 'TR',
  ISR: 'IL',
  KOR: 'KR',
};

/** The SAP country code for a marketplace country, or null when it is absent or unknown (the address goes without it). */
export function sapCountryCode(alpha3: string | null | undefined): string | null {
  if (!alpha3) return null;
  const code = alpha3.trim().toUpperCase();
  if (code.length === 2) return code;
  return ALPHA3_TO_ALPHA2[code] ?? null;
}
