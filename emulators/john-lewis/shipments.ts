import { asArray, asObject, fail, ok, seekPage, seekRequest, type Ctx, type Reply } from './http';
import type { EmuOrder, EmuOrderLine, EmuShipment } from './model';
import { resolveTracking } from './orders';
import type { EmulatorState } from './state';

/** ST01, ST23 and ST24 take at most this many shipments a call. */
const MAX_SHIPMENTS = 1_000;
/** Line states that no longer ship (and do not hold the order back from SHIPPED). */
const DONE_LINE_STATES = ['REFUSED', 'CANCELED', 'REFUNDED', 'SHIPPED'];

const cancelled = (l: EmuOrderLine) => l.cancelations.reduce((a, c) => a + c.quantity, 0);

/** Units of a line not yet in a shipment (shipped or not): what a new shipment may still carry. */
function unshipped(state: EmulatorState, order: EmuOrder, line: EmuOrderLine): number {
  let inShipments = 0;
  for (const s of state.shipments.values()) {
    if (s.orderId !== order.orderId) continue;
    for (const sl of s.lines) if (sl.orderLineId === line.id) inShipments += sl.quantity;
  }
  return line.quantity - cancelled(line) - inShipments;
}

export function shipmentJson(state: EmulatorState, s: EmuShipment) {
  const iso = (ms: number | null) => (ms === null ? null : state.clock.iso(ms));
  return {
    id: s.id,
    order_id: s.orderId,
    status: s.status,
    status_customer_debit: 'DEBIT_OK',
    invoice_reference: s.invoiceReference,
    created_date: iso(s.createdMs),
    last_updated_date: iso(s.lastUpdatedMs),
    shipped_date: iso(s.shippedMs),
    shipment_lines: s.lines.map((l) => ({ order_line_id: l.orderLineId, offer_sku: l.offerSku, quantity: l.quantity, package_reference: l.packageReference })),
    tracking: s.tracking
      ? {
          carrier_code: s.tracking.carrierCode,
          carrier_name: s.tracking.carrierName,
          carrier_standard_code: s.tracking.carrierStandardCode,
          tracking_number: s.tracking.trackingNumber,
          tracking_url: s.tracking.url,
        }
      : null,
  };
}

/**
 * A shipment leaves: its quantities count as shipped on their lines; a line whose every unit has shipped is SHIPPED,
 * and the order is SHIPPED (with this shipment's tracking) once every line still to ship has.
 */
function ship(state: EmulatorState, s: EmuShipment): void {
  const order = state.orders.get(s.orderId)!;
  const now = state.clock.now();
  s.status = 'SHIPPED';
  s.shippedMs = now;
  s.lastUpdatedMs = now;
  for (const sl of s.lines) {
    const line = order.lines.find((l) => l.id === sl.orderLineId)!;
    line.shippedQuantity += sl.quantity;
    if (line.shippedQuantity >= line.quantity - cancelled(line)) {
      line.state = 'SHIPPED';
      line.shippedMs = now;
    }
  }
  order.lastUpdatedMs = now;
  if (order.lines.every((l) => DONE_LINE_STATES.includes(l.state))) {
    order.shippedMs = now;
    if (s.tracking) order.tracking = s.tracking;
    state.setState(order, 'SHIPPED', now);
  }
}

function multiShipmentOff(state: EmulatorState): Reply | null {
  return state.config.multiShipment ? null : fail(400, 'Multi-shipment is not enabled on this platform', 'MULTI_SHIPMENT_DISABLED');
}

function shipmentItems(ctx: Ctx): Record<string, unknown>[] | Reply {
  const items = asArray(asObject(ctx.body).shipments);
  if (items.length === 0 || items.length > MAX_SHIPMENTS) return fail(400, `shipments must hold 1 to ${MAX_SHIPMENTS} items`, 'VALIDATION_ERROR');
  return items;
}

/** ST01: creates shipments (lines and quantities, optional tracking, `shipped` to ship at once); 201 with success and errors per shipment. */
export function createShipments(ctx: Ctx): Reply {
  const { state } = ctx;
  const off = multiShipmentOff(state);
  if (off) return off;
  const items = shipmentItems(ctx);
  if (!Array.isArray(items)) return items;
  const success: unknown[] = [];
  const errors: { order_id: string | null; message: string }[] = [];
  for (const item of items) {
    const orderId = typeof item.order_id === 'string' ? item.order_id : null;
    const error = (message: string) => errors.push({ order_id: orderId, message });
    const order = orderId ? state.orders.get(orderId) : undefined;
    if (!order) {
      error(`Order '${orderId ?? ''}' not found.`);
      continue;
    }
    if (order.state !== 'SHIPPING') {
      error(`The order status must be 'SHIPPING' but it is '${order.state}'.`);
      continue;
    }
    const requested = asArray(item.shipment_lines);
    if (requested.length === 0) {
      error('Shipment lines are required.');
      continue;
    }
    const lines: EmuShipment['lines'] = [];
    const wanted = new Map<EmuOrderLine, number>();
    let bad: string | null = null;
    for (const r of requested) {
      const line = order.lines.find((l) => (typeof r.order_line_id === 'string' ? l.id === r.order_line_id : l.sku === r.offer_sku));
      const quantity = r.quantity;
      if (!line) {
        bad = `Order line '${String(r.order_line_id ?? r.offer_sku)}' not found on order '${order.orderId}'.`;
        break;
      }
      if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || line.state !== 'SHIPPING') {
        bad = 'Shipment quantity is invalid.';
        break;
      }
      wanted.set(line, (wanted.get(line) ?? 0) + quantity);
      lines.push({
        orderLineId: line.id,
        offerSku: line.sku,
        quantity,
        packageReference: typeof r.package_reference === 'string' ? r.package_reference : null,
      });
    }
    if (!bad) for (const [line, quantity] of wanted) if (quantity > unshipped(state, order, line)) bad = 'Shipment quantity is invalid.';
    if (bad) {
      error(bad);
      continue;
    }
    let tracking: EmuShipment['tracking'] = null;
    if (item.tracking !== undefined && item.tracking !== null) {
      const resolved = resolveTracking(state, asObject(item.tracking), 'tracking_url');
      if ('error' in resolved) {
        error(resolved.error);
        continue;
      }
      tracking = resolved.tracking;
    }
    const now = state.clock.now();
    const shipment: EmuShipment = {
      id: state.uuid(),
      orderId: order.orderId,
      status: 'SHIPPING',
      lines,
      tracking,
      invoiceReference: typeof item.invoice_reference === 'string' ? item.invoice_reference : null,
      createdMs: now,
      lastUpdatedMs: now,
      shippedMs: null,
    };
    state.shipments.set(shipment.id, shipment);
    order.lastUpdatedMs = now;
    if (item.shipped === true) ship(state, shipment);
    success.push(shipmentJson(state, shipment));
  }
  return ok({ shipment_errors: errors, shipment_success: success }, 201);
}

/** ST11: shipments by order id and state (repeated parameters), seek paging (limit ≤ 100, page_token), oldest first. */
export function listShipments(ctx: Ctx): Reply {
  const { state, query } = ctx;
  const page = seekRequest(query, 100);
  if ('status' in page) return page;
  const orderIds = query.getAll('order_id');
  const states = query.getAll('shipment_state_code');
  const from = query.get('last_updated_from');
  const to = query.get('last_updated_to');
  const all = [...state.shipments.values()]
    .filter((s) => (orderIds.length === 0 || orderIds.includes(s.orderId)) && (states.length === 0 || states.includes(s.status)))
    .filter((s) => (!from || s.lastUpdatedMs >= Date.parse(from)) && (!to || s.lastUpdatedMs <= Date.parse(to)))
    .sort((a, b) => a.createdMs - b.createdMs || a.id.localeCompare(b.id));
  return seekPage(all, page, (s) => shipmentJson(state, s));
}

/** ST23 and ST24 answer 200 with success and errors per shipment id. */
function perShipment(ctx: Ctx, act: (s: EmuShipment, item: Record<string, unknown>) => string | null): Reply {
  const off = multiShipmentOff(ctx.state);
  if (off) return off;
  const items = shipmentItems(ctx);
  if (!Array.isArray(items)) return items;
  const success: { id: string }[] = [];
  const errors: { id: string | null; message: string }[] = [];
  for (const item of items) {
    const id = typeof item.id === 'string' ? item.id : null;
    const shipment = id ? ctx.state.shipments.get(id) : undefined;
    const problem = shipment ? act(shipment, item) : `No shipment with id '${id ?? ''}'.`;
    if (problem) errors.push({ id, message: problem });
    else success.push({ id: id! });
  }
  return ok({ shipment_errors: errors, shipment_success: success });
}

/** ST23: tracking for shipments not yet received (a tracking number can be corrected after shipping). */
export function setShipmentTracking(ctx: Ctx): Reply {
  return perShipment(ctx, (s, item) => {
    if (s.status !== 'SHIPPING' && s.status !== 'SHIPPED') return `The shipment status must be 'SHIPPING' or 'SHIPPED' but it is '${String(s.status)}'.`;
    const resolved = resolveTracking(ctx.state, asObject(item.tracking), 'tracking_url');
    if ('error' in resolved) return resolved.error;
    s.tracking = resolved.tracking;
    s.lastUpdatedMs = ctx.state.clock.now();
    return null;
  });
}

/** ST24: shipments leave; only from SHIPPING. */
export function shipShipments(ctx: Ctx): Reply {
  return perShipment(ctx, (s) => {
    if (s.status !== 'SHIPPING') return `The shipment status must be 'SHIPPING' but it is '${s.status}'.`;
    ship(ctx.state, s);
    return null;
  });
}
