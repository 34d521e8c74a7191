import type { SalesDocument } from '../../connectors/ports/sap';
import { count, resolveOnOrder, type DespatchEnv } from './env';
import { sapCarrierReader } from './sap-carrier';

const DAY_MS = 86_400_000;

/** When SAP last changed the document, as one sortable stamp, e.g. 2026-11-26T09:14:00 (SAP's own local time; only ever compared with SAP's). */
export function updateStamp(doc: SalesDocument): string {
  return doc.updatedAt ?? '';
}

/** The stamp `minutes` before another (SAP filters by whole minutes: the overlap catches what the last read could not see). */
export function stampMinus(stamp: string, minutes: number): string {
  const t = Date.parse(`${stamp}Z`) - minutes * 60_000;
  return new Date(t).toISOString().slice(0, 19);
}

/**
 * Reads the marketplace customer's Delivery Notes SAP changed since the watermark (less an overlap), keeps those copied from our Sales Orders
 * (lines copied from a Sales Order the orders flow posted), skips what was already read with the same stamp,
 * and records the rest with their SAP carrier and tracking number. The watermark moves only after a whole read.
 */
export async function detectDeliveries(env: DespatchEnv): Promise<void> {
  const { repo, settings } = env;
  const watermark = repo.getState('watermark');
  const from = watermark ? stampMinus(watermark, settings.overlapMinutes) : null;
  // First run: from the day before the oldest Sales Order without a despatch (SAP's clock may sit an hour off UTC).
  const firstDay = () => {
    const oldest = env.postedOrders.oldestWithoutDeliveryNote();
    return new Date(Date.parse(oldest ?? env.now().toISOString()) - DAY_MS).toISOString().slice(0, 10);
  };
  const day = from ? from.slice(0, 10) : firstDay();
  const carrierOf = sapCarrierReader(env.sap, settings);
  let newest = watermark;

  // Only the marketplace customer's Delivery Notes, filtered in SAP: other customers' deliveries are never read.
  for await (const page of env.sap.deliveryNotes.changedSince(env.cardCode, day)) {
    for (const doc of page) {
      count(env, 'read');
      const stamp = updateStamp(doc);
      if (!newest || stamp > newest) newest = stamp;
      if (from && stamp < from) continue;
      if (doc.cancelled) continue;
      const bases = new Set(doc.lines.filter((l) => l.base?.kind === 'sales-order').map((l) => l.base!.docEntry));
      for (const base of bases) {
        // The Sales Order's binding says which marketplace order it was posted for; none: not one of ours.
        const orderId = env.ctx.ledger.bindings.recordOf('sap-b1', 'sales-order', String(base), 'order');
        const order = orderId ? env.postedOrders.get(orderId) : null;
        if (!order) continue;
        if (repo.delivery(doc.docEntry, order.orderId)?.updateStamp === stamp) {
          count(env, 'duplicates');
          continue;
        }
        const sapCarrier = await carrierOf(doc);
        const trackingNumber = doc.trackingNumber?.trim() || null;
        const { despatch, created } = repo.recordDelivery(
          { docEntry: doc.docEntry, orderId: order.orderId, salesOrderEntry: base, docNum: doc.docNum, sapCarrier, trackingNumber, updateStamp: stamp },
          order.numAtCard,
          env.now(),
        );
        count(env, 'deliveries');
        const what = `Delivery Note ${doc.docNum} ${created ? 'posted' : 'changed'} in SAP: ${sapCarrier ?? 'no carrier'}, tracking ${trackingNumber ?? 'none'}`;
        env.repo.event(
          order.orderId,
          'sap',
          despatch.state === 'confirmed' ? `${what} (already confirmed on the marketplace; not sent again)` : what,
          env.now(),
          { docEntry: doc.docEntry },
        );
        resolveOnOrder(env, order.orderId, ['deadline-near']);
      }
    }
  }
  if (newest && newest !== watermark) repo.setStateValue('watermark', newest);
}
