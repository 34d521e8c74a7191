import { describe, expect, it } from 'vitest';
import { carrierWords, nameSimilarity, suggestCarriers } from '../../../electron/engine/flows/despatch';
import type { Carrier } from '../../../electron/engine/connectors/ports/marketplace';

const SH21: Carrier[] = [
  { code: 'DPD', label: 'DPD UK', standardCode: 'DPD', trackingUrl: null },
  { code: 'DHL', label: 'DHL Parcel UK', standardCode: 'DHL', trackingUrl: null },
  { code: 'EVRI', label: 'Evri', standardCode: null, trackingUrl: null },
  { code: 'PARCELFORCE', label: 'Parcelforce Worldwide', standardCode: null, trackingUrl: null },
  { code: 'ROYAL_MAIL', label: 'Royal Mail', standardCode: 'ROYAL_MAIL', trackingUrl: null },
];

describe('carrier mapping suggestions (name similarity)', () => {
  it('drops case, punctuation and filler words', () => {
    expect(carrierWords('DHL Parcel UK')).toEqual(['dhl']);
    expect(carrierWords('Royal_Mail')).toEqual(['royal', 'mail']);
    expect(carrierWords('UK')).toEqual(['uk']);
  });

  it.each([
    ['Royal Mail', 'ROYAL_MAIL'],
    ['ROYAL MAIL TRACKED 24', 'ROYAL_MAIL'],
    ['DPD', 'DPD'],
    ['dpd local', 'DPD'],
    ['Evri', 'EVRI'],
    ['Hermes/Evri', 'EVRI'],
    ['Parcel Force', 'PARCELFORCE'],
    ['Parcelforce 48', 'PARCELFORCE'],
    ['DHL Express', 'DHL'],
  ])('suggests %s → %s first', (sap, code) => {
    expect(suggestCarriers(sap, SH21)[0]?.code).toBe(code);
  });

  it('scores the same name 1 and suggests nothing for a carrier the marketplace does not list', () => {
    expect(suggestCarriers('Royal Mail', SH21)[0]).toEqual({ code: 'ROYAL_MAIL', label: 'Royal Mail', score: 1 });
    expect(suggestCarriers('Yodel', SH21)).toEqual([]);
    expect(suggestCarriers('UPS', SH21)).toEqual([]);
  });

  it('ranks a contained name below the same name, and orders by score', () => {
    expect(nameSimilarity('Royal Mail 24', 'Royal Mail')).toBeLessThan(1);
    expect(nameSimilarity('Royal Mail 24', 'Royal Mail')).toBeGreaterThan(0.7);
    const scores = suggestCarriers('DHL Parcel', SH21, { threshold: 0 }).map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});
