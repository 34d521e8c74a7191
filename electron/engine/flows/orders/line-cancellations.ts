import { count, raiseOnOrder, type OrdersEnv } from './env';
import { ENDED_STATES } from './intake';

/** Marks a line already brought to a person's attention, so a dismissed flag is not raised again every run. */
const flagKey = (orderId: string, orderLineId: string) => `line-cancel-flagged:${orderId}:${orderLineId}`;

/**
 * Lines the marketplace cancelled or refused after their order was posted, while the rest of the order goes
 * ahead. The Sales Order row is still open in SAP and would be picked and shipped, so a person is told which row
 * of which Sales Order to close (once per line; closing a row is the business's call, not the integration's).
 */
export async function lineCancellations(env: OrdersEnv): Promise<void> {
  const { repo, settings } = env;
  const udfLine = `U_${settings.udf.orderLineId}`;
  for (const row of repo.inStages(['posted'])) {
    if (row.docEntry === null || (row.marketplaceState && ENDED_STATES.includes(row.marketplaceState))) continue;
    const cancelled = (repo.order(row.orderId)?.lines ?? []).filter(
      (l) => l.state && ENDED_STATES.includes(l.state) && repo.getState(flagKey(row.orderId, l.orderLineId)) === null,
    );
    if (!cancelled.length) continue;
    let doc;
    try {
      doc = await env.sap.orders.find(row.docEntry);
    } catch (e) {
      env.ctx.logger.warn('A Sales Order with a cancelled line could not be read; tried again next run', {
        orderId: row.orderId,
        error: e instanceof Error ? e.message : String(e),
      });
      continue;
    }
    if (!doc) continue;
    // The Sales Order row carries the marketplace line id in a user-defined field (see draft.ts).
    const rawLines = (doc.raw.DocumentLines as Record<string, unknown>[] | undefined) ?? [];
    for (const line of cancelled) {
      const sapLine = doc.DocumentLines[rawLines.findIndex((l) => l[udfLine] === line.orderLineId)];
      repo.setState(flagKey(row.orderId, line.orderLineId), env.now().toISOString());
      if (!sapLine || sapLine.LineStatus !== 'bost_Open' || sapLine.RemainingOpenQuantity.lte(0)) continue;
      raiseOnOrder(
        env,
        row.orderId,
        'line-cancelled-after-posting',
        `Line ${line.orderLineId} (SKU ${line.sku ?? '?'}, ${line.quantity ?? '?'} off) was ${line.state} on the marketplace after Sales Order ${doc.DocNum} was posted: row ${sapLine.LineNum + 1} (${sapLine.ItemCode}) is still open in SAP and would be shipped`,
        null,
      );
      count(env, 'lineCancelledAfterPosting');
    }
  }
}
