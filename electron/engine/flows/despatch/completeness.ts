import type { SapConnector } from '../../connectors/sap-b1';

/**
 * Whether SAP has delivered the whole Sales Order: every line closed or with nothing left open. A Sales Order
 * closed by hand counts as complete too (nothing more will be delivered from it).
 */
export async function fullyDelivered(sap: SapConnector, salesOrderEntry: number): Promise<{ complete: boolean; openLines: number }> {
  const order = await sap.orders.get(salesOrderEntry);
  if (order.DocumentStatus === 'bost_Close') return { complete: true, openLines: 0 };
  const open = order.DocumentLines.filter((l) => l.LineStatus !== 'bost_Close' && l.RemainingOpenQuantity.greaterThan(0)).length;
  return { complete: open === 0, openLines: open };
}
