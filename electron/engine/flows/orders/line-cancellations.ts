import { count, raiseOnOrder, type OrdersEnv } from './env';
import { ENDED_STATES, LINE_GONE } from './states';

/** Marks a line already brought to a person's attention, so a dismissed flag is not raised again every run. */
const flagKey = (orderId: string, orderLineId: string) => `line-cancel-flagged:${orderId}:${orderLineId}`;

/**
 * Lines the marketplace cancelled or refused after their order was posted, while the rest of the order goes
 * ahead. The Sales Order row is still open in SAP and would be picked and shipped, so a person is told which row
 * of which Sales Order to close (once per line; closing a row is the business's call, not the integration's).
 */
export async function lineCancellations(env: OrdersEnv): Promise<void> {
  const { repo } = env;
  for (const row of repo.inStages(['posted'])) {
    if (row.docEntry === null || ENDED_STATES.includes(row.marketplaceState)) continue;
    const cancelled = (repo.order(row.orderId)?.lines ?? []).filter(
      (l) => LINE_GONE.includes(l.state) && repo.getState(flagKey(row.orderId, l.orderLineId)) === null,
    );
    if (!cancelled.length) continue;
    let doc;
    try {
      doc = await env.sap.salesOrders.find(row.docEntry);
    } catch (e) {
      env.ctx.logger.warn('A Sales Order with a cancelled line could not be read; tried again next run', {
        orderId: row.orderId,
        error: e instanceof Error ? e.message : String(e),
      });
      continue;
    }
    if (!doc) continue;
    for (const line of cancelled) {
      // Each Sales Order row carries its marketplace line id (written with the order).
      const sapLine = doc.lines.find((l) => l.marketplaceLineId === line.orderLineId);
      repo.setState(flagKey(row.orderId, line.orderLineId), env.now().toISOString());
      if (!sapLine || !sapLine.open || sapLine.openQuantity.lte(0)) continue;
      raiseOnOrder(
        env,
        row.orderId,
        'line-cancelled-after-posting',
        `Line ${line.orderLineId} (SKU ${line.sku ?? '?'}, ${line.quantity ?? '?'} off) was ${line.stateCode ?? line.state} on the marketplace after Sales Order ${doc.docNum} was posted: row ${sapLine.lineNum + 1} (${sapLine.itemCode}) is still open in SAP and would be shipped`,
        null,
      );
      count(env, 'lineCancelledAfterPosting');
    }
  }
}
