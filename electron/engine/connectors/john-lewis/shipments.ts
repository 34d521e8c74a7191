import { shipmentState } from './states';
import type { BatchOutcome, Shipment, ShipmentDraft, ShipmentsCreated, TrackingUpdate } from '../ports/marketplace';
import type { MiraklClient } from './client';
import { MarketplaceError, MarketplaceRequestError } from './errors';
import { arr, int, obj, str } from './read';

/** ST01, ST23 and ST24 take up to 1,000 shipments a call. */
const BATCH = 1_000;
/** ST11 pages (seek paging, default 10 a page) a listing follows at most: far more shipments than one order has lines. */
const MAX_PAGES = 20;

/** A shipment's tracking on the wire: a registered carrier by its code, another by name with its full tracking URL. */
function trackingBody(t: TrackingUpdate): Record<string, unknown> {
  return 'carrierCode' in t
    ? { carrier_code: t.carrierCode, tracking_number: t.trackingNumber }
    : {
        carrier_name: t.carrierName,
        ...(t.carrierUrl ? { tracking_url: t.carrierUrl } : {}),
        ...(t.trackingNumber ? { tracking_number: t.trackingNumber } : {}),
      };
}

export function toShipment(s: Record<string, unknown>): Shipment {
  const t = obj(s.tracking);
  return {
    id: str(s.id) ?? '',
    orderId: str(s.order_id),
    state: shipmentState(str(s.status)),
    stateCode: str(s.status),
    lines: arr(s.shipment_lines).map((l) => ({ orderLineId: str(l.order_line_id), quantity: int(l.quantity) })),
    carrierCode: str(t.carrier_code),
    carrierName: str(t.carrier_name),
    trackingNumber: str(t.tracking_number),
    trackingUrl: str(t.tracking_url),
    shippedDate: str(s.shipped_date),
    raw: s,
  };
}

/**
 * ST01. A shipment sent twice is two shipments, so a lost answer is never retried here: the caller reads the order's
 * shipments (ST11) before sending again. The 201 carries per-shipment success and errors; each is read.
 */
export async function createShipments(client: MiraklClient, drafts: readonly ShipmentDraft[]): Promise<ShipmentsCreated> {
  if (drafts.length === 0 || drafts.length > BATCH) throw new MarketplaceRequestError('ST01', `A shipment call takes 1 to ${BATCH} shipments`);
  for (const d of drafts) {
    if (d.lines.length === 0) throw new MarketplaceRequestError('ST01', `Order ${d.orderId}: a shipment needs at least one line`);
    for (const l of d.lines)
      if (!Number.isInteger(l.quantity) || l.quantity < 1)
        throw new MarketplaceRequestError('ST01', `Order ${d.orderId}, line ${l.orderLineId}: quantity ${l.quantity} is not a whole number ≥ 1`);
  }
  const { body } = await client.ok({
    operation: 'ST01',
    method: 'POST',
    path: '/api/shipments',
    idempotent: false,
    data: {
      shipments: drafts.map((d) => ({
        order_id: d.orderId,
        shipment_lines: d.lines.map((l) => ({ order_line_id: l.orderLineId, quantity: l.quantity })),
        ...(d.tracking ? { tracking: trackingBody(d.tracking) } : {}),
        shipped: d.shipped ?? false,
      })),
    },
  });
  const b = obj(body);
  return {
    created: arr(b.shipment_success).map(toShipment),
    failed: arr(b.shipment_errors).map((e) => ({ orderId: str(e.order_id), message: str(e.message) ?? 'refused without a message' })),
  };
}

/** ST11 for one order, following next_page_token (the only parameter Mirakl reads with it). */
export async function orderShipments(client: MiraklClient, orderId: string): Promise<Shipment[]> {
  const out: Shipment[] = [];
  let pageToken: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { body } = await client.ok({
      operation: 'ST11',
      method: 'GET',
      path: '/api/shipments',
      idempotent: true,
      params: pageToken ? { page_token: pageToken } : { order_id: [orderId] },
    });
    const b = obj(body);
    out.push(
      ...arr(b.data)
        .map(toShipment)
        .filter((s) => s.orderId === orderId),
    );
    pageToken = str(b.next_page_token);
    if (!pageToken) return out;
  }
  throw new MarketplaceError('ST11', null, `ST11: order ${orderId} has more than ${MAX_PAGES} pages of shipments`, null, false);
}

/** ST23/ST24 answer 200 with success and errors per shipment id: each is read, none assumed. */
function readEnvelope(body: unknown, sent: readonly string[]): BatchOutcome {
  const b = obj(body);
  const succeeded = arr(b.shipment_success)
    .map((s) => str(s.id))
    .filter((id): id is string => id !== null);
  const failed = arr(b.shipment_errors).map((e) => ({ id: str(e.id), message: str(e.message) ?? 'refused without a message' }));
  const answered = new Set([...succeeded, ...failed.map((f) => f.id)]);
  for (const id of sent) if (!answered.has(id)) failed.push({ id, message: 'not mentioned in the marketplace answer' });
  return { succeeded, failed };
}

export async function setShipmentTracking(client: MiraklClient, updates: readonly { shipmentId: string; tracking: TrackingUpdate }[]): Promise<BatchOutcome> {
  if (updates.length === 0 || updates.length > BATCH) throw new MarketplaceRequestError('ST23', `A shipment call takes 1 to ${BATCH} shipments`);
  const { body } = await client.ok({
    operation: 'ST23',
    method: 'POST',
    path: '/api/shipments/tracking',
    // Setting tracking twice sets the same tracking.
    idempotent: true,
    data: { shipments: updates.map((u) => ({ id: u.shipmentId, tracking: trackingBody(u.tracking) })) },
  });
  return readEnvelope(
    body,
    updates.map((u) => u.shipmentId),
  );
}

export async function shipShipments(client: MiraklClient, shipmentIds: readonly string[]): Promise<BatchOutcome> {
  if (shipmentIds.length === 0 || shipmentIds.length > BATCH) throw new MarketplaceRequestError('ST24', `A shipment call takes 1 to ${BATCH} shipments`);
  // Shipping a shipment already shipped is refused per shipment, never doubled: safe to send again after a lost answer.
  const { body } = await client.ok({
    operation: 'ST24',
    method: 'PUT',
    path: '/api/shipments/ship',
    idempotent: true,
    data: { shipments: shipmentIds.map((id) => ({ id })) },
  });
  return readEnvelope(body, shipmentIds);
}
