import { sapQuery, type SapConnector, type SapDocument } from '../../connectors/sap-b1';
import type { OrdersSettings } from '../../../../shared/domain/orders';

/**
 * Finds the Sales Order a marketplace order already became: by the order-id UDF first (exact), then by the
 * customer's number on the marketplace business partner, keeping only documents whose order-id UDF is empty
 * (entered by hand) or this order's. Cancelled documents count: a person cancelled it on purpose.
 */
export async function findSalesOrder(sap: SapConnector, settings: OrdersSettings, orderId: string, numAtCard: string | null): Promise<SapDocument | undefined> {
  const udf = `U_${settings.udf.orderId}` as const;
  const byUdf = await sap.listAll<Record<string, unknown>>(
    sapQuery('Orders')
      .select('DocEntry')
      .filter((f) => f.eq(udf, orderId))
      .orderBy('DocEntry', 'asc'),
  );
  if (byUdf.length) return sap.orders.get(Number(byUdf[0]!.DocEntry));
  if (!numAtCard) return undefined;
  const byNumber = await sap.orders.findByNumAtCard(numAtCard, settings.cardCode);
  return byNumber.filter((d) => !d.raw[udf] || d.raw[udf] === orderId).at(-1);
}
