import { count, type DespatchEnv } from './env';
import { ALREADY_SHIPPED, OR23, OR24 } from './confirm';
import { holdsTracking, type TrackingIntent } from './confirmation';
import { ST01, ST23, ST24 } from './shipments';

/**
 * The outbox after a restart: an OR23 or OR24 without an outcome is settled by reading the order on the
 * marketplace before anything is sent again. Landed: the despatch moves on as if the answer had arrived.
 * Not landed: the intent failed and the next step sends it (the confirmation reads the state again first).
 * A shipment call without an outcome is settled by the shipment's own record, which is looked up on the
 * marketplace (its shipments) before the shipment is sent again.
 */
export async function recoverIntents(env: DespatchEnv): Promise<void> {
  const all = env.ctx.ledger.intents.pending('despatch').filter((i) => i.system === 'marketplace');
  settleShipmentIntents(
    env,
    all.filter((i) => [ST01, ST23, ST24].includes(i.operation)),
  );
  const pending = all.filter((i) => i.operation === OR23 || i.operation === OR24);
  if (!pending.length) return;
  const orders = new Map((await env.marketplace.orders.get([...new Set(pending.map((i) => i.recordKey))], env.taxMode)).map((o) => [o.orderId, o]));
  for (const intent of pending) {
    const order = orders.get(intent.recordKey);
    const shipped = !!order && ALREADY_SHIPPED.includes(order.state);
    const payload = intent.payload as TrackingIntent | null;
    const landed = intent.operation === OR24 ? shipped : shipped || holdsTracking(order, payload);
    if (landed) {
      env.ctx.ledger.intents.close(intent.id, 'found-existing', env.now(), { externalRef: intent.recordKey });
      env.repo.event(intent.recordKey, 'marketplace', `Found on the marketplace after a restart: ${intent.operation} had landed; not sent again`, env.now());
      if (intent.operation === OR23 && !shipped) {
        env.repo.setState(intent.recordKey, 'tracking-sent', env.now(), {
          carrierCode: payload?.carrierCode ?? null,
          carrierName: payload?.carrierName ?? null,
          sentTracking: payload?.trackingNumber,
        });
      }
      count(env, 'recovered');
    } else {
      env.ctx.ledger.intents.close(intent.id, 'failed', env.now(), {
        error: `Not on the marketplace after a restart: ${intent.operation} never landed; it will be sent again`,
      });
    }
  }
}

/** Shipment intents close once the shipment's record knows (it stays 'sending' until its lookup has decided). */
function settleShipmentIntents(env: DespatchEnv, intents: ReturnType<DespatchEnv['ctx']['ledger']['intents']['pending']>): void {
  for (const intent of intents) {
    const rows =
      intent.operation === ST01
        ? [env.repo.shipment(intent.recordKey.split('#')[0]!, Number(intent.recordKey.split('#')[1]))]
        : env.repo.shipmentsById(intent.recordKey);
    const row = rows.find((r) => r !== null) ?? null;
    if (!row || row.state === 'sending') continue;
    const landed = intent.operation === ST24 ? row.state === 'shipped' : row.shipmentId !== null && row.state !== 'refused';
    if (landed) env.ctx.ledger.intents.close(intent.id, 'found-existing', env.now(), { externalRef: row.shipmentId });
    else
      env.ctx.ledger.intents.close(intent.id, 'failed', env.now(), {
        error: `Not on the marketplace after a restart: ${intent.operation} never landed; it is sent again when due`,
      });
  }
}
