import type { Carrier } from '../../connectors/ports/marketplace';

export interface CarrierSuggestion {
  code: string;
  label: string | null;
  /** 0..1: 1 is the same name once case, punctuation and filler words are set aside. */
  score: number;
}

// Words that say nothing about which carrier it is ("DPD UK", "Parcelforce Worldwide", "DHL Parcel UK").
const FILLER = new Set([
  'uk',
  'gb',
  'ltd',
  'limited',
  'plc',
  'the',
  'worldwide',
  'parcel',
  'parcels',
  'express',
  'tracked',
  'delivery',
  'services',
  'service',
  'courier',
]);

/** Lower case, letters and digits only, filler words dropped: "Royal_Mail" and "Royal Mail Tracked 24" both start "royal mail". */
export function carrierWords(name: string): string[] {
  const words = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const kept = words.filter((w) => !FILLER.has(w));
  return kept.length ? kept : words;
}

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** Dice coefficient over character pairs: tolerant of small spelling differences ("Parcel Force" / "Parcelforce"). */
function dice(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const left = bigrams(a);
  const right = bigrams(b);
  const pool = [...right];
  let shared = 0;
  for (const g of left) {
    const i = pool.indexOf(g);
    if (i >= 0) {
      shared++;
      pool.splice(i, 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}

/** How alike an SAP carrier and one name of a marketplace carrier are. */
export function nameSimilarity(sapCarrier: string, name: string): number {
  const wa = carrierWords(sapCarrier);
  const wb = carrierWords(name);
  const a = wa.join('');
  const b = wb.join('');
  if (!a || !b) return 0;
  if (a === b) return 1;
  // Every word of one name in the other ("DPD Local" / "DPD", "Hermes/Evri" / "Evri"): close, but short of the same.
  const [short, long] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  const words = short.every((w) => long.includes(w)) ? 0.6 + 0.35 * (short.length / long.length) : 0;
  // One name inside the other as letters ("Parcelforce48" / "Parcelforce").
  const letters = a.includes(b) || b.includes(a) ? 0.1 + 0.85 * (Math.min(a.length, b.length) / Math.max(a.length, b.length)) : 0;
  return Math.max(words, letters, dice(a, b));
}

/**
 * Marketplace carriers whose code, standard code or label resemble the SAP carrier, best first, those at or above
 * `threshold` only. A suggestion is never applied by itself: the mapping table is what a person saved.
 */
export function suggestCarriers(sapCarrier: string, carriers: readonly Carrier[], options: { threshold?: number; max?: number } = {}): CarrierSuggestion[] {
  const threshold = options.threshold ?? 0.5;
  return carriers
    .map((c) => ({
      code: c.code,
      label: c.label,
      score: Math.max(...[c.code, c.standardCode, c.label].filter((n): n is string => !!n).map((n) => nameSimilarity(sapCarrier, n))),
    }))
    .filter((s) => s.score >= threshold)
    .sort((x, y) => y.score - x.score || x.code.localeCompare(y.code))
    .slice(0, options.max ?? 3)
    .map((s) => ({ ...s, score: Math.round(s.score * 100) / 100 }));
}
