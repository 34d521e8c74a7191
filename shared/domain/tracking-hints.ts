/**
 * What a tracking number looks like for the UK carriers sellers use, so the correction form can say
 * "Royal Mail tracked looks like AB123456789GB" and warn (never block) when a typed number does not fit.
 * Carriers are recognised by their marketplace code, standard code or label, loosely.
 */
export interface TrackingHint {
  carrier: string;
  /** One sentence for the operator. */
  text: string;
  example: string;
  pattern: RegExp;
}

const HINTS: { match: RegExp; hint: TrackingHint }[] = [
  {
    match: /royal ?mail|^rm$/,
    hint: { carrier: 'Royal Mail', text: 'Royal Mail tracked: 2 letters, 9 digits, then GB', example: 'AB123456789GB', pattern: /^[A-Z]{2}\d{9}GB$/ },
  },
  {
    match: /parcel ?force/,
    hint: {
      carrier: 'Parcelforce',
      text: 'Parcelforce: 2 letters and 7 digits, or 2 letters, 9 digits and GB',
      example: 'PB1234567',
      pattern: /^[A-Z]{2}(\d{7}|\d{9}GB)$/,
    },
  },
  { match: /dpd/, hint: { carrier: 'DPD', text: 'DPD: 14 digits (the parcel number)', example: '15501234567890', pattern: /^\d{14}$/ } },
  { match: /evri|hermes/, hint: { carrier: 'Evri', text: 'Evri: 16 letters and digits', example: 'H01ABC1234567890', pattern: /^[A-Z0-9]{16}$/ } },
  { match: /dhl/, hint: { carrier: 'DHL', text: 'DHL Parcel UK: 10 to 14 digits', example: '1234567890', pattern: /^\d{10,14}$/ } },
  { match: /ups/, hint: { carrier: 'UPS', text: 'UPS: 1Z followed by 16 letters and digits', example: '1Z999AA10123456784', pattern: /^1Z[A-Z0-9]{16}$/ } },
  { match: /yodel/, hint: { carrier: 'Yodel', text: 'Yodel: JD followed by 16 digits', example: 'JD0002212345678901', pattern: /^JD\d{16}$/ } },
];

const normalise = (s: string) => s.toLowerCase().replace(/[_-]+/g, ' ').trim();

/** The hint for a carrier (code, standard code or label, whichever is known), or null when we have none. */
export function trackingHint(...names: (string | null | undefined)[]): TrackingHint | null {
  for (const name of names) {
    if (!name) continue;
    const n = normalise(name);
    const found = HINTS.find((h) => h.match.test(n));
    if (found) return found.hint;
  }
  return null;
}

/** Tracking numbers are compared without spaces and in capitals (warehouses type them both ways). */
export const cleanTrackingNumber = (s: string) => s.replace(/\s+/g, '').toUpperCase();

/** 'ok', 'unusual' (does not look like the carrier's format: a warning) or 'unknown' (no hint for this carrier). */
export function checkTrackingNumber(trackingNumber: string, hint: TrackingHint | null): 'ok' | 'unusual' | 'unknown' {
  if (!hint) return 'unknown';
  return hint.pattern.test(cleanTrackingNumber(trackingNumber)) ? 'ok' : 'unusual';
}
