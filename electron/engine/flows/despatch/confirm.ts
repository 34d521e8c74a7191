import { isSapFailure } from '../../connectors/ports/sap';
import type { OrderState } from '../../connectors/ports/marketplace';
import { fullyDelivered } from './completeness';
import { confirmationFor, holdsTracking, rejection, type TrackingIntent } from './confirmation';
import { count, orderRef, raiseOnOrder, resolveOnOrder, type DespatchEnv } from './env';
import { ATTEMPT_EXCEPTIONS, DespatchProblem } from './exceptions';
import type { DespatchRow } from './repository';
import { confirmByShipments } from './shipments';

/** Marketplace states in which the order has already left: a confirmation is never sent again. */
export const ALREADY_SHIPPED: readonly OrderState[] = ['shipped', 'to-collect', 'received', 'closed'];

export const OR23 = 'OR23';
export const OR24 = 'OR24';
export const WRITE_BACK = 'write-back-tracking-number';

/**
 * One despatch, one step at a time: every line delivered (or wait — or, with multi-shipment, send what SAP delivered
 * as shipments), the order's state read first (only an order waiting to be shipped is confirmed; already shipped is never sent again), the
 * carrier and tracking number, the optional write-back to SAP, then OR23 and OR24 through the outbox. Business
 * failures become exceptions; technical ones propagate.
 */
export async function confirmDespatch(env: DespatchEnv, d: DespatchRow): Promise<void> {
  const { repo, ctx } = env;
  const orderId = d.orderId;
  try {
    const lines = await fullyDelivered(env.sap, d.salesOrderEntry);
    // Several shipments per order: each Delivery Note of a partly delivered order is one; once one is sent, the rest follow.
    const byShipments = (!lines.complete || repo.shipments(orderId).length > 0) && (await env.platform()).multiShipment === true;
    if (!lines.complete && !byShipments) {
      if (d.state !== 'waiting-lines') {
        repo.setState(orderId, 'waiting-lines', env.now());
        repo.event(orderId, 'engine', `Partly delivered in SAP: waiting for ${lines.openLines} more line(s) before confirming the despatch`, env.now());
      }
      count(env, 'waitingLines');
      return;
    }
    if (lines.complete) {
      // Every line delivered: the confirmation watchdog counts from the first time this was seen, whatever happens next.
      const deliveredAt = d.deliveredAt ?? env.now().toISOString();
      if (!d.deliveredAt) repo.setState(orderId, d.state === 'waiting-lines' ? 'ready' : d.state, env.now(), { deliveredAt });
    }

    const order = await env.orders.get(orderId);
    if (order && ALREADY_SHIPPED.includes(order.state ?? '')) {
      repo.setState(orderId, 'confirmed', env.now());
      const carrier = order.shippingCarrierCode ?? order.shippingCarrierName ?? '?';
      repo.event(
        orderId,
        'marketplace',
        `Already ${order.stateCode ?? order.state} on the marketplace (carrier ${carrier}, tracking ${order.shippingTracking ?? '?'}): not sent again`,
        env.now(),
      );
      resolveOnOrder(env, orderId);
      count(env, 'alreadyShipped');
      return;
    }
    if (!order || order.state !== 'shipping') {
      throw new DespatchProblem(
        'order-not-shipping',
        order
          ? `SAP delivered the order but the marketplace order is ${order.stateCode ?? order.state}, not waiting to be shipped: no despatch was sent`
          : 'The marketplace does not know this order',
      );
    }

    if (byShipments) {
      if (d.writeBack && d.correctedTracking) await writeBack(env, d, d.correctedTracking);
      await confirmByShipments(env, d, lines);
      return;
    }

    const c = await confirmationFor(env, d, repo.delivery(d.deliveryEntry, orderId), true);
    if (d.writeBack && d.correctedTracking) await writeBack(env, d, d.correctedTracking);
    const sentWith = { carrierCode: c.carrierCode, carrierName: c.carrierName, sentTracking: c.trackingNumber };
    // OR23 unless the marketplace already holds exactly this tracking (sent before a crash, or by a person).
    if (!holdsTracking(order, c)) {
      const payload: TrackingIntent = { carrierCode: c.carrierCode, carrierName: c.carrierName, trackingNumber: c.trackingNumber };
      const sent = await ctx.write({ system: 'marketplace', operation: OR23, recordKey: orderId, payload }, async () => ({
        result: await env.marketplace.shipping.setTracking(orderId, c.tracking),
      }));
      if (!sent.sent) {
        repo.event(orderId, 'engine', `Dry run: would send tracking ${c.label} ${c.trackingNumber} and confirm the despatch`, env.now());
        count(env, 'dryRun');
        return;
      }
      repo.setState(orderId, 'tracking-sent', env.now(), sentWith);
      repo.event(orderId, 'marketplace', `Tracking sent (OR23): ${c.label} ${c.trackingNumber}`, env.now());
    }
    const shipped = await ctx.write({ system: 'marketplace', operation: OR24, recordKey: orderId, payload: null }, async () => ({
      result: await env.marketplace.shipping.confirm(orderId),
    }));
    if (!shipped.sent) {
      count(env, 'dryRun');
      return;
    }
    repo.setState(orderId, 'confirmed', env.now(), sentWith);
    repo.event(orderId, 'marketplace', `Despatch confirmed (OR24): the marketplace shows the order as shipped with ${c.label} ${c.trackingNumber}`, env.now());
    resolveOnOrder(env, orderId);
    count(env, 'confirmed');
  } catch (error) {
    const problem =
      error instanceof DespatchProblem
        ? error
        : rejection(error) !== null
          ? new DespatchProblem('marketplace-rejected', `The marketplace refused the despatch of ${orderId}`, rejection(error))
          : null;
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
    const sent = await env.ctx.write(
      { system: 'sap-b1', operation: WRITE_BACK, recordKey: String(d.deliveryEntry), payload: { trackingNumber } },
      async () => ({
        result: await env.sap.deliveryNotes.setTrackingNumber(d.deliveryEntry, trackingNumber),
        externalRef: String(d.deliveryEntry),
      }),
    );
    if (!sent.sent) return;
    env.repo.writtenBack(d.orderId, env.now());
    env.repo.event(d.orderId, 'sap', `Corrected tracking number ${trackingNumber} written back to the Delivery Note (DocEntry ${d.deliveryEntry})`, env.now());
    env.ctx.resolve('write-back-failed', orderRef(d.orderId));
  } catch (error) {
    if (!isSapFailure(error) || (error.kind !== 'business' && error.kind !== 'not-found')) throw error;
    env.repo.writtenBack(d.orderId, env.now());
    raiseOnOrder(
      env,
      d.orderId,
      'write-back-failed',
      `SAP refused the corrected tracking number on Delivery Note ${d.deliveryEntry}`,
      error.sapMessage ?? error.message,
    );
  }
}
