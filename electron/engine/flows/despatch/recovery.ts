import { count, type DespatchEnv } from './env';
import { ALREADY_SHIPPED, OR23, OR24 } from './confirm';

/**
 * The outbox after a restart: an OR23 or OR24 without an outcome is settled by reading the order on the
 * marketplace before anything is sent again. Landed: the despatch moves on as if the answer had arrived.
 * Not landed: the intent failed and the next step sends it (the confirmation reads the state again first).
 */
export async function recoverIntents(env: DespatchEnv): Promise<void> {
  const pending = env.ctx.ledger.intents.pending('despatch').filter((i) => i.system === 'marketplace' && (i.operation === OR23 || i.operation === OR24));
  if (!pending.length) return;
  const orders = new Map((await env.marketplace.getOrders([...new Set(pending.map((i) => i.recordKey))], env.taxMode)).map((o) => [o.orderId, o]));
  for (const intent of pending) {
    const order = orders.get(intent.recordKey);
    const shipped = ALREADY_SHIPPED.includes(order?.state ?? '');
    const payload = intent.payload as { carrierCode?: string; trackingNumber?: string } | null;
    const landed = intent.operation === OR24 ? shipped : shipped || (order?.shippingTracking === payload?.trackingNumber && order?.shippingCarrierCode === payload?.carrierCode);
    if (landed) {
      env.ctx.ledger.intents.close(intent.id, 'found-existing', env.now(), { externalRef: intent.recordKey });
      env.repo.event(intent.recordKey, 'marketplace', `Found on the marketplace after a restart: ${intent.operation} had landed; not sent again`, env.now());
      if (intent.operation === OR23 && !shipped) env.repo.setState(intent.recordKey, 'tracking-sent', env.now(), { carrierCode: payload?.carrierCode, sentTracking: payload?.trackingNumber });
      count(env, 'recovered');
    } else {
      env.ctx.ledger.intents.close(intent.id, 'failed', env.now(), { error: `Not on the marketplace after a restart: ${intent.operation} never landed; it will be sent again` });
    }
  }
}
