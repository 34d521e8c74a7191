import type { Sap, SalesDocument } from '../../connectors/ports/sap';
import type { OrdersSettings } from '../../../../shared/domain/orders';

/**
 * Finds the Sales Order a marketplace order already became: by the marketplace order id SAP holds first (exact),
 * then by the customer's number on the marketplace business partner, keeping only documents with no marketplace
 * order id (entered by hand) or this one. Cancelled documents count: a person cancelled it on purpose.
 */
export function findSalesOrder(sap: Sap, settings: OrdersSettings, orderId: string, numAtCard: string | null): Promise<SalesDocument | undefined> {
  return sap.salesOrders.findForMarketplaceOrder({ marketplaceOrderId: orderId, customerReference: numAtCard, customer: settings.cardCode });
}
