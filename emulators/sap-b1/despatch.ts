import { business, notFound } from './errors';
import { createDocument } from './documents';
import type { EmulatorState, Entity } from './state';

export interface DespatchRequest {
  /** The Sales Order, by DocEntry or by the customer's order number (NumAtCard; the newest open match). */
  docEntry?: number;
  numAtCard?: string;
  /** SAP carrier: a ShippingTypes Code or Name (e.g. "Royal Mail"). */
  carrier: number | string;
  trackingNumber: string;
  /** Lines to despatch (default: every open line in full). */
  lines?: { lineNum: number; quantity: number }[];
}

/**
 * "The warehouse despatches this order": a Delivery Note copied from the Sales Order, as a warehouse user
 * would post it, with the carrier and tracking number, picking batches and serial numbers first-in first-out.
 */
export function despatch(state: EmulatorState, request: DespatchRequest): Entity {
  const order =
    request.docEntry !== undefined
      ? state.documents.Orders.get(request.docEntry)
      : [...state.documents.Orders.values()].reverse().find((o) => o.NumAtCard === request.numAtCard && o.DocumentStatus === 'bost_Open');
  if (!order) throw notFound();
  const carrier = [...state.shippingTypes.values()].find(
    (s) => s.Code === request.carrier || s.Name === request.carrier || String(s.Code) === String(request.carrier),
  );
  if (!carrier) throw business(`Shipping type '${String(request.carrier)}' does not exist`);
  const orderLines = order.DocumentLines as Entity[];
  const wanted =
    request.lines ??
    orderLines.filter((l) => l.LineStatus === 'bost_Open').map((l) => ({ lineNum: l.LineNum as number, quantity: l.RemainingOpenQuantity as number }));
  const lines = wanted.map((w) => {
    const base = orderLines.find((l) => l.LineNum === w.lineNum);
    if (!base) throw business(`Order line ${w.lineNum} does not exist`);
    const item = state.items.get(String(base.ItemCode))!;
    const whs = String(base.WarehouseCode);
    const line: Entity = { BaseType: 17, BaseEntry: order.DocEntry, BaseLine: w.lineNum, Quantity: w.quantity };
    if (item.ManageBatchNumbers === 'tYES') {
      let left = w.quantity;
      const picks: Entity[] = [];
      for (const [batch, qty] of state.batchMap(item.ItemCode, whs)) {
        if (left <= 0) break;
        const take = Math.min(left, qty);
        if (take > 0) picks.push({ BatchNumberProperty: batch, Quantity: take, BaseLineNumber: 0 });
        left -= take;
      }
      line.BatchNumbers = picks;
    } else if (item.ManageSerialNumbers === 'tYES') {
      line.SerialNumbers = [...state.serialSet(item.ItemCode, whs)]
        .slice(0, w.quantity)
        .map((s) => ({ InternalSerialNumber: s, Quantity: 1, BaseLineNumber: 0 }));
    }
    return line;
  });
  return createDocument(state, 'v2', 'DeliveryNotes', {
    CardCode: order.CardCode,
    NumAtCard: order.NumAtCard,
    TransportationCode: carrier.Code,
    TrackingNumber: request.trackingNumber,
    DocumentLines: lines,
  });
}
