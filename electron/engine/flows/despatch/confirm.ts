import { isMarketplaceError } from '../../connectors/john-lewis';
import { isSapError } from '../../connectors/sap-b1';
import { fullyDelivered } from './completeness';
import { count, raiseOnOrder, resolveOnOrder, type DespatchEnv } from './env';
import { ATTEMPT_EXCEPTIONS, DespatchProblem } from './exceptions';
import type { DespatchRow } from './repository';
import { suggestCarriers } from './suggestions';

/** Marketplace states in which the order has already left: a confirmation is never sent again. */
export const ALREADY_SHIPPED = ['SHIPPED', 'TO_COLLECT', 'RECEIVED', 'CLOSED'];

export const OR23 = 'OR23';
export const OR24 = 'OR24';
export const WRITE_BACK = 'PATCH DeliveryNotes.TrackingNumber';

/** What to confirm with: the operator's correction first, then SAP's carrier through the mapping table. */
async function carrierAndTracking(env: DespatchEnv, d: DespatchRow): Promise<{ carrierCode: string; trackingNumber: string; sapCarrier: string | null }> {
  const delivery = env.repo.delivery(d.deliveryEntry, d.orderId);
  const sapCarrier = delivery?.sapCarrier ?? null;
  const trackingNumber = d.correctedTracking ?? delivery?.trackingNumber ?? null;
  const note = `Delivery Note ${delivery?.docNum ?? d.deliveryEntry}`;
  if (!trackingNumber) throw new DespatchProblem('tracking-missing', `${note} has no tracking number in SAP`);
  const carriers = await env.carriers();
  const code = d.correctedCarrierCode ?? (sapCarrier ? env.repo.mapping(sapCarrier)?.carrierCode : null) ?? null;
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
  return { carrierCode: code, trackingNumber, sapCarrier };
}

/** The marketplace's refusal, verbatim, or null when the failure is technical (retried by itself). */
function rejection(error: unknown): string | null {
  if (!isMarketplaceError(error) || error.transient) return null;
  return error.rawBody?.trim() || error.message || `HTTP ${error.status ?? '?'}`;
}

/**
 * One despatch, one step at a time: every line delivered (or wait), the order's state read first (only SHIPPING
 * is confirmed; already shipped is never sent again), the carrier and tracking number, the optional write-back to
 * SAP, then OR23 and OR24 through the outbox. Business failures become exceptions; technical ones propagate.
 */
export async function confirmDespatch(env: DespatchEnv, d: DespatchRow): Promise<void> {
  const { repo, ctx } = env;
  const orderId = d.orderId;
  try {
    const lines = await fullyDelivered(env.sap, d.salesOrderEntry);
    if (!lines.complete) {
      if ((await env.platform()).multiShipment) {
        // The shipments API (ST01) would confirm this part now; the connector has none, so say so rather than pretend.
        throw new DespatchProblem(
          'multi-shipment-unsupported',
          `SAP delivered part of the order (${lines.openLines} line(s) still open) and the marketplace takes several shipments per order, but this console cannot send shipments (ST01) yet`,
        );
      }
      if (d.state !== 'waiting-lines') {
        repo.setState(orderId, 'waiting-lines', env.now());
        repo.event(orderId, 'engine', `Partly delivered in SAP: waiting for ${lines.openLines} more line(s) before confirming the despatch`, env.now());
      }
      count(env, 'waitingLines');
      return;
    }
    // Every line delivered: the confirmation watchdog counts from the first time this was seen, whatever happens next.
    const deliveredAt = d.deliveredAt ?? env.now().toISOString();
    if (!d.deliveredAt) repo.setState(orderId, d.state === 'waiting-lines' ? 'ready' : d.state, env.now(), { deliveredAt });

    const order = await env.orders.get(orderId);
    if (order && ALREADY_SHIPPED.includes(order.state ?? '')) {
      repo.setState(orderId, 'confirmed', env.now());
      repo.event(orderId, 'marketplace', `Already ${order.state} on the marketplace (carrier ${order.shippingCarrierCode ?? '?'}, tracking ${order.shippingTracking ?? '?'}): not sent again`, env.now());
      resolveOnOrder(env, orderId);
      count(env, 'alreadyShipped');
      return;
    }
    if (!order || order.state !== 'SHIPPING') {
      throw new DespatchProblem('order-not-shipping', order ? `SAP delivered the order but the marketplace order is ${order.state ?? 'in an unknown state'}, not SHIPPING: no despatch was sent` : 'The marketplace does not know this order');
    }

    const { carrierCode, trackingNumber } = await carrierAndTracking(env, d);
    
    if (d.writeBack && d.correctedTracking) await writeBack(env, d, d.correctedTracking);

    // OR23 unless the marketplace already holds exactly this tracking (sent before a crash, or by a person).
    if (order.shippingTracking !== trackingNumber || order.shippingCarrierCode !== carrierCode) {
      const sent = await ctx.write({ system: 'marketplace', operation: OR23, recordKey: orderId, payload: { carrierCode, trackingNumber } }, async () => ({
        result: await env.marketplace.setTracking(orderId, { carrierCode, trackingNumber }),
      }));
      if (!sent.sent) {
        repo.event(orderId, 'engine', `Dry run: would send tracking ${carrierCode} ${trackingNumber} and confirm the despatch`, env.now());
        count(env, 'dryRun');
        return;
      }
      repo.setState(orderId, 'tracking-sent', env.now(), { carrierCode, sentTracking: trackingNumber });
      repo.event(orderId, 'marketplace', `Tracking sent (OR23): ${carrierCode} ${trackingNumber}`, env.now());
    }
    const shipped = await ctx.write({ system: 'marketplace', operation: OR24, recordKey: orderId, payload: null }, async () => ({ result: await env.marketplace.confirmShipment(orderId) }));
    if (!shipped.sent) {
      count(env, 'dryRun');
      return;
    }
    repo.setState(orderId, 'confirmed', env.now(), { carrierCode, sentTracking: trackingNumber });
    repo.event(orderId, 'marketplace', `Despatch confirmed (OR24): the marketplace shows the order SHIPPED with ${carrierCode} ${trackingNumber}`, env.now());
    resolveOnOrder(env, orderId);
    count(env, 'confirmed');
  } catch (error) {
    const problem = error instanceof DespatchProblem ? error : rejection(error) !== null ? new DespatchProblem('marketplace-rejected', `The marketplace refused the despatch of ${orderId}`, rejection(error)) : null;
    if (!problem) throw error;
    repo.setState(orderId, 'blocked', env.now());
    raiseOnOrder(env, orderId, problem.type, problem.summary, problem.rawError);
    resolveOnOrder(env, orderId, ATTEMPT_EXCEPTIONS, problem.type);
    count(env, 'blocked');
  }
}

/** The corrected tracking number onto the SAP Delivery Note, through the outbox; SAP's refusal is a warning, not a block. */
async function writeBack(env: DespatchEnv, d: DespatchRow, trackingNumber: string): Promise<void> {
  try {
    const sent = await env.ctx.write({ system: 'sap-b1', operation: WRITE_BACK, recordKey: String(d.deliveryEntry), payload: { TrackingNumber: trackingNumber } }, async () => ({
      result: await env.sap.deliveryNotes.patch(d.deliveryEntry, { TrackingNumber: trackingNumber }),
      externalRef: String(d.deliveryEntry),
    }));
    if (!sent.sent) return;
    env.repo.writtenBack(d.orderId, env.now());
    env.repo.event(d.orderId, 'sap', `Corrected tracking number ${trackingNumber} written back to the Delivery Note (DocEntry ${d.deliveryEntry})`, env.now());
    env.ctx.resolve('write-back-failed', { type: 'order', key: d.orderId });
  } catch (error) {
    if (!isSapError(error) || (error.kind !== 'business' && error.kind !== 'not-found')) throw error;
    env.repo.writtenBack(d.orderId, env.now());
    raiseOnOrder(env, d.orderId, 'write-back-failed', `SAP refused the corrected tracking number on Delivery Note ${d.deliveryEntry}`, error.sapMessage ?? error.message);
  }
}
