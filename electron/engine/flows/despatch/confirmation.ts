import { isMarketplaceFailure, type MarketplaceOrder, type TrackingUpdate } from '../../connectors/ports/marketplace';
import type { DespatchEnv } from './env';
import { DespatchProblem } from './exceptions';
import type { DeliveryRow, DespatchRow } from './repository';
import { suggestCarriers } from './suggestions';

/** What a despatch (or one shipment of it) is confirmed with. */
export interface Confirmation {
  tracking: TrackingUpdate;
  /** A carrier on the marketplace list… */
  carrierCode: string | null;
  /** …or one it does not have, sent by name. */
  carrierName: string | null;
  trackingNumber: string;
  /** As the timeline says it: the code, or "Yodel (named carrier)". */
  label: string;
}

/** The OR23 payload recorded with its intent: enough to tell afterwards whether it landed. */
export interface TrackingIntent {
  carrierCode?: string | null;
  carrierName?: string | null;
  trackingNumber?: string;
}

/** Whether the marketplace already holds this carrier and tracking number (sent before a crash, or by a person). */
export function holdsTracking(order: MarketplaceOrder | undefined | null, sent: TrackingIntent | null): boolean {
  if (!order || !sent?.trackingNumber || order.shippingTracking !== sent.trackingNumber) return false;
  if (sent.carrierCode) return order.shippingCarrierCode === sent.carrierCode;
  return !order.shippingCarrierCode && (order.shippingCarrierName ?? sent.carrierName) === sent.carrierName;
}

/**
 * What to confirm a Delivery Note with: the operator's correction first (for the latest delivery), then the SAP
 * carrier through the mapping table — a carrier code on the marketplace list, or, where the mapping says so and the
 * shop accepts it, a carrier the list does not have, by name with its tracking URL.
 */
export async function confirmationFor(env: DespatchEnv, d: DespatchRow, delivery: DeliveryRow | null, corrected: boolean): Promise<Confirmation> {
  const sapCarrier = delivery?.sapCarrier ?? null;
  const trackingNumber = (corrected ? d.correctedTracking : null) ?? delivery?.trackingNumber ?? null;
  const note = `Delivery Note ${delivery?.docNum ?? delivery?.docEntry ?? d.deliveryEntry}`;
  if (!trackingNumber) throw new DespatchProblem('tracking-missing', `${note} has no tracking number in SAP`);
  const carriers = await env.carriers();
  const mapping = sapCarrier ? env.repo.mapping(sapCarrier) : null;
  const code = (corrected ? d.correctedCarrierCode : null) ?? mapping?.carrierCode ?? null;
  if (!code && mapping?.carrierName) {
    if ((await env.platform()).alternativeCarriersDisabled === true) {
      throw new DespatchProblem(
        'carrier-unmapped',
        `SAP carrier '${sapCarrier}' is mapped to send as the named carrier '${mapping.carrierName}', but the marketplace accepts only carriers on its list: map it to one of them`,
      );
    }
    const url = mapping.trackingUrl ? mapping.trackingUrl.replaceAll('{trackingId}', encodeURIComponent(trackingNumber)) : null;
    return {
      tracking: { carrierName: mapping.carrierName, ...(url ? { carrierUrl: url } : {}), trackingNumber },
      carrierCode: null,
      carrierName: mapping.carrierName,
      trackingNumber,
      label: `${mapping.carrierName} (named carrier)`,
    };
  }
  if (!code) {
    const hint = sapCarrier ? suggestCarriers(sapCarrier, carriers)[0] : undefined;
    throw new DespatchProblem(
      'carrier-unmapped',
      sapCarrier
        ? `SAP carrier '${sapCarrier}' on ${note} has no marketplace carrier mapped${hint ? ` (closest: ${hint.label ?? hint.code})` : ' and none on the marketplace list resembles it'}`
        : `${note} has no carrier in SAP`,
    );
  }
  if (!carriers.some((c) => c.code === code)) {
    throw new DespatchProblem('carrier-unmapped', `Carrier code '${code}' (for SAP carrier '${sapCarrier ?? '?'}') is not on the marketplace's carrier list`);
  }
  return { tracking: { carrierCode: code, trackingNumber }, carrierCode: code, carrierName: null, trackingNumber, label: code };
}

/** The marketplace's refusal, verbatim, or null when the failure is technical (retried by itself). */
export function rejection(error: unknown): string | null {
  if (!isMarketplaceFailure(error) || error.transient) return null;
  return error.rawBody?.trim() || error.message;
}
