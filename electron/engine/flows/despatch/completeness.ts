import type { SapConnector, SapDocument } from '../../connectors/sap-b1';

/**
 * Whether SAP has delivered the whole Sales Order: every line closed or with nothing left open. A Sales Order
 * closed by hand counts as complete too (nothing more will be delivered from it). The Sales Order comes back too:
 * its lines say which marketplace order line each delivered line belongs to.
 */
export async function fullyDelivered(sap: SapConnector, salesOrderEntry: number): Promise<{ complete: boolean; openLines: number; salesOrder: SapDocument }> {
  const order = await sap.orders.get(salesOrderEntry);
  if (order.DocumentStatus === 'bost_Close') return { complete: true, openLines: 0, salesOrder: order };
  const open = order.DocumentLines.filter((l) => l.LineStatus !== 'bost_Close' && l.RemainingOpenQuantity.greaterThan(0)).length;
  return { complete: open === 0, openLines: open, salesOrder: order };
}
