import type { CarrierMappingRow, DespatchSummary, MarketplaceCarrier } from '../../shared/contract/despatch';

export function makeDespatch(overrides: Partial<DespatchSummary> = {}): DespatchSummary {
  return {
    orderId: '000000201-A',
    numAtCard: '000000201',
    salesOrderDocNum: 12,
    deliveryDocEntry: 31,
    deliveryDocNum: 31,
    deliveries: 1,
    sapCarrier: 'Yodel',
    trackingNumber: 'JD000221',
    carrierCode: null,
    carrierName: null,
    correctedCarrierCode: null,
    correctedTrackingNumber: null,
    state: 'blocked',
    exception: { id: 9, type: 'carrier-unmapped', summary: "SAP carrier 'Yodel' on Delivery Note 31 has no marketplace carrier mapped", rawError: null },
    shippingDeadline: new Date(Date.now() + 5 * 3_600_000).toISOString(),
    deliveredAt: new Date().toISOString(),
    confirmedAt: null,
    updatedAt: new Date().toISOString(),
    sending: null,
    ...overrides,
  };
}

export const CARRIERS: MarketplaceCarrier[] = [
  { code: 'DPD', label: 'DPD UK', standardCode: 'DPD', trackingUrl: null },
  { code: 'EVRI', label: 'Evri', standardCode: null, trackingUrl: null },
  { code: 'ROYAL_MAIL', label: 'Royal Mail', standardCode: 'ROYAL_MAIL', trackingUrl: null },
];

/** The despatch flow's screen messages, in memory: a test sets what the engine would answer. */
export class FakeDespatch {
  despatches: DespatchSummary[] = [];
  carriers: MarketplaceCarrier[] = CARRIERS;
  mappings: CarrierMappingRow[] = [];
  namedCarriers: 'allowed' | 'forbidden' | 'unknown' = 'forbidden';
  /** What despatch.correct answers; queued: accepted, sends at `sendsAt`, the outcome comes later as an event. */
  outcome: 'confirmed' | 'blocked' | 'pending' | 'queued' = 'confirmed';
  sendsAt = '2026-11-26T17:25:00.000Z';

  answer(name: string, r: Record<string, unknown>): unknown {
    switch (name) {
      case 'despatch.list': {
        const term = String(r.search ?? '');
        const rows = this.despatches.filter(
          (d) =>
            (!r.state || d.state === r.state) &&
            (!term || [d.orderId, d.numAtCard, d.trackingNumber, d.deliveryDocNum === null ? null : String(d.deliveryDocNum)].some((v) => v?.includes(term))),
        );
        const offset = r.offset as number;
        const states: Record<string, number> = {};
        for (const d of this.despatches) states[d.state] = (states[d.state] ?? 0) + 1;
        return { rows: rows.slice(offset, offset + (r.limit as number)), total: rows.length, states };
      }
      case 'despatch.get':
        return this.despatches.find((d) => d.orderId === r.orderId) ?? null;
      case 'despatch.carriers':
        return { carriers: this.carriers, mappings: this.mappings, namedCarriers: this.namedCarriers, error: null };
      case 'despatch.saveMapping':
        return {
          mapping: {
            sapCarrier: r.sapCarrier,
            carrierCode: r.carrierCode ?? null,
            named: r.named ?? null,
            valid: true,
            updatedBy: r.actor,
            updatedAt: new Date().toISOString(),
            suggestions: [],
          },
          retried: [],
        };
      case 'despatch.correct': {
        const i = this.despatches.findIndex((d) => d.orderId === r.orderId);
        if (this.outcome === 'queued') {
          const queued: DespatchSummary = {
            ...this.despatches[i]!,
            state: 'ready',
            correctedCarrierCode: r.carrierCode as string,
            correctedTrackingNumber: r.trackingNumber as string,
            sending: { since: new Date().toISOString(), sendsAt: this.sendsAt },
          };
          this.despatches[i] = queued;
          return { outcome: 'queued', message: 'Queued — sends at 17:25', sendsAt: this.sendsAt, despatch: queued };
        }
        const after: DespatchSummary = {
          ...this.despatches[i]!,
          state: this.outcome === 'confirmed' ? 'confirmed' : this.outcome === 'blocked' ? 'blocked' : 'ready',
          carrierCode: r.carrierCode as string,
          correctedCarrierCode: r.carrierCode as string,
          correctedTrackingNumber: r.trackingNumber as string,
          exception:
            this.outcome === 'blocked'
              ? {
                  id: 10,
                  type: 'marketplace-rejected',
                  summary: 'The marketplace refused the despatch',
                  rawError: '{"status":400,"message":"Carrier EVRI needs a tracking number"}',
                }
              : null,
        };
        this.despatches[i] = after;
        const message =
          this.outcome === 'confirmed'
            ? `Despatch confirmed: the marketplace shows ${after.orderId} shipped with ${after.carrierCode} ${String(r.trackingNumber)}`
            : `Still held up: ${after.exception?.summary ?? ''} — ${after.exception?.rawError ?? ''}`;
        return { outcome: this.outcome, message, sendsAt: null, despatch: after };
      }
      default:
        throw new Error(`FakeDespatch does not answer ${name}`);
    }
  }
}
