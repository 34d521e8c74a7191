import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Carrier } from '../../electron/engine/connectors/ports/marketplace';
import { confirmationFor } from '../../electron/engine/flows/despatch/confirmation';
import type { DespatchEnv } from '../../electron/engine/flows/despatch/env';
import { DespatchProblem } from '../../electron/engine/flows/despatch/exceptions';
import type { CarrierMapping, DeliveryRow, DespatchRow } from '../../electron/engine/flows/despatch/repository';
import { nameSimilarity, suggestCarriers } from '../../electron/engine/flows/despatch/suggestions';
import { checkTrackingNumber, cleanTrackingNumber, trackingHint } from '../../shared/domain/tracking-hints';
import { customerText, RUNS } from './arbitraries';

const CARRIERS: Carrier[] = [
  { code: 'ROYAL_MAIL', label: 'Royal Mail', standardCode: 'RM', trackingUrl: null },
  { code: 'DPD', label: 'DPD UK', standardCode: null, trackingUrl: null },
  { code: 'EVRI', label: 'Evri', standardCode: 'HERMES', trackingUrl: null },
  { code: 'PARCELFORCE', label: 'Parcelforce Worldwide', standardCode: null, trackingUrl: null },
];
const sapCarrier = fc.oneof(fc.constantFrom('Royal Mail', 'DPD', 'Yodel', 'Evri', 'Parcel Force 48', 'royal_mail tracked 24'), customerText);
const mapping = (sap: string) =>
  fc.option(
    fc
      .oneof(
        fc.record({ carrierCode: fc.constantFrom('ROYAL_MAIL', 'DPD', 'NOT_LISTED'), carrierName: fc.constant(null), trackingUrl: fc.constant(null) }),
        fc.record({
          carrierCode: fc.constant(null),
          carrierName: customerText,
          trackingUrl: fc.option(fc.constant('https://track.example/{trackingId}'), { nil: null }),
        }),
      )
      .map((m): CarrierMapping => ({ sapCarrier: sap, ...m, updatedBy: 'test', updatedAt: '2026-01-01T00:00:00Z' })),
    { nil: null },
  );

describe('despatch: SAP carrier → marketplace carrier, and the tracking sent', () => {
  it('is total: a confirmation on a carrier code from the marketplace’s list, or the named carrier mapped, or a despatch exception — never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .option(sapCarrier, { nil: null })
          .chain((sap) =>
            fc.tuple(
              fc.constant(sap),
              sap === null ? fc.constant(null) : mapping(sap),
              fc.option(fc.stringMatching(/^[A-Z0-9 ]{1,20}$/), { nil: null }),
              fc.boolean(),
              fc.option(fc.constantFrom('ROYAL_MAIL', 'EVRI', 'BOGUS'), { nil: null }),
            ),
          ),
        async ([sap, map, tracking, alternativesDisabled, corrected]) => {
          const env = {
            carriers: async () => CARRIERS,
            repo: { mapping: () => map },
            platform: async () => ({ alternativeCarriersDisabled: alternativesDisabled }),
          } as unknown as DespatchEnv;
          const d = { deliveryEntry: 7, correctedCarrierCode: corrected, correctedTracking: null } as unknown as DespatchRow;
          const delivery = { docEntry: 7, docNum: 7, sapCarrier: sap, trackingNumber: tracking } as unknown as DeliveryRow;
          try {
            const c = await confirmationFor(env, d, delivery, corrected !== null);
            expect(c.trackingNumber).toBe(tracking);
            if (c.carrierCode !== null) {
              expect(CARRIERS.map((x) => x.code)).toContain(c.carrierCode);
              expect(c.tracking).toEqual({ carrierCode: c.carrierCode, trackingNumber: tracking });
            } else {
              expect(alternativesDisabled).toBe(false);
              expect(c.carrierName).toBe(map!.carrierName);
              if (map!.trackingUrl) expect((c.tracking as { carrierUrl?: string }).carrierUrl).toBe(`https://track.example/${encodeURIComponent(tracking!)}`);
            }
          } catch (e) {
            expect(e).toBeInstanceOf(DespatchProblem);
            expect(['tracking-missing', 'carrier-unmapped']).toContain((e as DespatchProblem).type);
          }
        },
      ),
      RUNS,
    );
  });

  it('suggestions: scores between 0 and 1, best first, at most three, each above the threshold; the same name scores 1', () => {
    fc.assert(
      fc.property(sapCarrier, (sap) => {
        const out = suggestCarriers(sap, CARRIERS);
        expect(out.length).toBeLessThanOrEqual(3);
        for (const [i, s] of out.entries()) {
          expect(s.score).toBeGreaterThanOrEqual(0.5);
          expect(s.score).toBeLessThanOrEqual(1);
          if (i > 0) expect(out[i - 1]!.score).toBeGreaterThanOrEqual(s.score);
        }
        const score = nameSimilarity(sap, sap);
        expect(score === 1 || sap.replace(/[^a-z0-9]/gi, '') === '').toBe(true);
      }),
      RUNS,
    );
  });

  it('similarity is the same either way round', () => {
    fc.assert(
      fc.property(sapCarrier, sapCarrier, (a, b) => {
        expect(nameSimilarity(a, b)).toBeCloseTo(nameSimilarity(b, a), 10);
      }),
      RUNS,
    );
  });

  it('tracking numbers are compared without spaces and in capitals; checking one is total', () => {
    fc.assert(
      fc.property(customerText, fc.option(fc.constantFrom('ROYAL_MAIL', 'dpd', 'Evri', 'UPS', 'Yodel', 'Unknown Co'), { nil: null }), (typed, carrier) => {
        const clean = cleanTrackingNumber(typed);
        expect(cleanTrackingNumber(clean)).toBe(clean);
        expect(clean).not.toMatch(/\s/);
        const hint = trackingHint(carrier);
        const verdict = checkTrackingNumber(typed, hint);
        expect(verdict).toBe(hint ? (hint.pattern.test(clean) ? 'ok' : 'unusual') : 'unknown');
        if (hint) expect(checkTrackingNumber(hint.example, hint)).toBe('ok');
      }),
      RUNS,
    );
  });
});
