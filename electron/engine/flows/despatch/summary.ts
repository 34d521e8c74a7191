import type { DespatchSummary } from '../../../../shared/contract/despatch';
import type { Ledger } from '../../ledger';
import type { DespatchRepository, DespatchRow } from './repository';
import type { PostedOrders } from '../orders/posted-orders';

/**
 * One despatch as the console shows it: the latest Delivery Note, the carrier it maps to (a code, or a named carrier
 * the marketplace list does not have), the exception holding it up, and whether a person's command waits its turn.
 */
export function despatchSummary(
  repo: DespatchRepository,
  posted: PostedOrders,
  ledger: Ledger,
  d: DespatchRow,
  sending: DespatchSummary['sending'] = null,
): DespatchSummary {
  const deliveries = repo.deliveries(d.orderId);
  const latest = deliveries.find((x) => x.docEntry === d.deliveryEntry) ?? deliveries.at(-1) ?? null;
  const order = posted.get(d.orderId);
  const live = ledger.exceptions.live('despatch').filter((e) => e.record.type === 'order' && e.record.key === d.orderId);
  // The attempt's own problem first; a watchdog alert only when nothing else explains the hold-up.
  const exception = live.find((e) => e.type !== 'despatch-overdue' && e.type !== 'deadline-near') ?? live[0] ?? null;
  const mapping = latest?.sapCarrier ? repo.mapping(latest.sapCarrier) : null;
  // What was sent wins; before that, the correction, then the mapping.
  const sent = d.carrierCode !== null || d.carrierName !== null;
  const carrierCode = sent ? d.carrierCode : (d.correctedCarrierCode ?? mapping?.carrierCode ?? null);
  const carrierName = sent ? d.carrierName : d.correctedCarrierCode ? null : (mapping?.carrierName ?? null);
  return {
    orderId: d.orderId,
    numAtCard: d.numAtCard ?? order?.numAtCard ?? null,
    salesOrderDocNum: order?.docNum ?? null,
    deliveryDocEntry: d.deliveryEntry,
    deliveryDocNum: latest?.docNum ?? null,
    deliveries: deliveries.length,
    sapCarrier: latest?.sapCarrier ?? null,
    trackingNumber: latest?.trackingNumber ?? null,
    carrierCode,
    carrierName,
    correctedCarrierCode: d.correctedCarrierCode,
    correctedTrackingNumber: d.correctedTracking,
    state: d.state,
    exception: exception ? { id: exception.id, type: exception.type, summary: exception.summary, rawError: exception.rawError } : null,
    shippingDeadline: order?.shippingDeadline ?? null,
    deliveredAt: d.deliveredAt,
    confirmedAt: d.confirmedAt,
    updatedAt: d.updatedAt,
    sending,
  };
}
