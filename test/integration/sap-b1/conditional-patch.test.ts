import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SapConcurrencyError } from '../../../electron/engine/connectors/sap-b1';
import { startRig, type Rig } from './harness';

describe('SAP connector: ETag reads and conditional PATCH', () => {
  let rig: Rig;
  afterEach(() => rig.emulator.stop());

  describe('against a Service Layer with ETags', () => {
    beforeEach(async () => {
      rig = await startRig();
    });

    for (const serviceLayerVersion of ['v2', 'v1'] as const) {
      it(`${serviceLayerVersion}: reads the business partner with its ETag (annotation left out of the entity)`, async () => {
        const sap = rig.connect({ serviceLayerVersion });
        const { entity, etag } = await sap.businessPartnerWithEtag('C-JLM');
        expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
        expect(entity.CardCode).toBe('C-JLM');
        expect(Object.keys(entity).some((k) => k.includes('etag'))).toBe(false);
      });

      it(`${serviceLayerVersion}: a stale If-Match surfaces as SapConcurrencyError at once, sent once, nothing written`, async () => {
        const sap = rig.connect({ serviceLayerVersion });
        const { etag } = await sap.businessPartnerWithEtag('C-JLM');
        await sap.patch('BusinessPartners', 'C-JLM', { CardName: 'First' }, { ifMatch: etag, retryOnConflict: false });
        rig.emulator.clearCalls();
        const err = await sap.patch('BusinessPartners', 'C-JLM', { CardName: 'Second' }, { ifMatch: etag, retryOnConflict: false }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SapConcurrencyError);
        expect((err as SapConcurrencyError).code).toBe('-2039');
        expect((err as SapConcurrencyError).status).toBe(412);
        expect(rig.calls('PATCH', 'BusinessPartners')).toBe(1);
        expect(rig.clock.sleeps).toEqual([]);
        expect(rig.emulator.state.businessPartners.get('C-JLM')!.CardName).toBe('First');
      });
    }

    it('the current ETag writes; a PATCH without options keeps retrying -2039 as before', async () => {
      const sap = rig.connect();
      const { etag } = await sap.businessPartnerWithEtag('C-JLM');
      await sap.patch('BusinessPartners', 'C-JLM', { CardName: 'Mine' }, { ifMatch: etag, retryOnConflict: false });
      expect(rig.emulator.state.businessPartners.get('C-JLM')!.CardName).toBe('Mine');

      rig.emulator.clearCalls();
      rig.emulator.addFault({ kind: 'conflict', method: 'PATCH', path: 'BusinessPartners', times: 2 });
      await sap.patch('BusinessPartners', 'C-JLM', { CardName: 'Retried' });
      expect(rig.calls('PATCH', 'BusinessPartners')).toBe(3);
      expect(rig.emulator.state.businessPartners.get('C-JLM')!.CardName).toBe('Retried');
    });

    it('a conditional PATCH whose first attempt failed in transit is retried; a landed first attempt shows as -2039', async () => {
      const sap = rig.connect();
      const { etag } = await sap.businessPartnerWithEtag('C-JLM');
      rig.emulator.clearCalls();
      rig.emulator.addFault({ kind: 'error5xx', method: 'PATCH', path: 'BusinessPartners', times: 1 });
      await sap.patch('BusinessPartners', 'C-JLM', { CardName: 'After 503' }, { ifMatch: etag, retryOnConflict: false });
      expect(rig.calls('PATCH', 'BusinessPartners')).toBe(2);
      expect(rig.emulator.state.businessPartners.get('C-JLM')!.CardName).toBe('After 503');

      const { etag: next } = await sap.businessPartnerWithEtag('C-JLM');
      rig.emulator.addFault({ kind: 'loseResponse', method: 'PATCH', path: 'BusinessPartners', times: 1 });
      const err = await sap.patch('BusinessPartners', 'C-JLM', { CardName: 'Lost answer' }, { ifMatch: next, retryOnConflict: false }).catch((e: unknown) => e);
      // The write landed; its resend met our own new ETag. The caller reads again to tell (the lease does).
      expect(err).toBeInstanceOf(SapConcurrencyError);
      expect(rig.emulator.state.businessPartners.get('C-JLM')!.CardName).toBe('Lost answer');
    });
  });

  it('against a Service Layer without ETags (before 10.0 FP 2102): no ETag, and a PATCH with If-Match simply writes', async () => {
    rig = await startRig({ etags: false });
    const sap = rig.connect();
    const { entity, etag } = await sap.businessPartnerWithEtag('C-JLM');
    expect(etag).toBeUndefined();
    expect(entity.CardCode).toBe('C-JLM');
    await sap.patch('BusinessPartners', 'C-JLM', { CardName: 'Anyway' }, { ifMatch: 'W/"stale"', retryOnConflict: false });
    expect(rig.emulator.state.businessPartners.get('C-JLM')!.CardName).toBe('Anyway');
  });
});
