import type { Sap, SalesDocument } from '../../connectors/ports/sap';

/**
 * Whether SAP has delivered the whole Sales Order: every line closed or with nothing left open. A Sales Order
 * closed by hand counts as complete too (nothing more will be delivered from it). The Sales Order comes back too:
 * its lines say which marketplace order line each delivered line belongs to.
 */
export async function fullyDelivered(sap: Sap, salesOrderEntry: number): Promise<{ complete: boolean; openLines: number; salesOrder: SalesDocument }> {
  const order = await sap.salesOrders.get(salesOrderEntry);
  if (order.status === 'closed') return { complete: true, openLines: 0, salesOrder: order };
  const open = order.lines.filter((l) => l.open && l.openQuantity.greaterThan(0)).length;
  return { complete: open === 0, openLines: open, salesOrder: order };
}
