import Decimal from 'decimal.js';
import { count, resolveOrder, type OrdersEnv } from './env';
import { CREATE_OPERATION, youngIntent } from './posting';
import { findSalesOrder } from './sap-lookup';

/**
 * The outbox after a restart: a create intent without an outcome is resolved by looking the Sales Order up
 * (order-id field, then NumAtCard) before anything is sent again. Found: the order is posted. Not found (and
 * SAP's timeout has passed, so it cannot still land): the intent failed and the order goes back to ready.
 */
export async function recoverIntents(env: OrdersEnv): Promise<void> {
  const { ctx, repo } = env;
  for (const intent of ctx.ledger.intents.pending('orders')) {
    if (intent.system !== 'sap-b1' || intent.operation !== CREATE_OPERATION) continue;
    if (youngIntent(env, intent.recordKey)) continue;
    const row = repo.get(intent.recordKey);
    if (!row) continue;
    const doc = await findSalesOrder(env.sap, env.settings, row.orderId, row.numAtCard);
    if (doc) {
      const rounding = new Decimal(String((intent.payload as { RoundingDiffAmount?: string } | null)?.RoundingDiffAmount ?? 0));
      repo.markPosted(row.orderId, { docEntry: doc.DocEntry, docNum: doc.DocNum, sapTotal: doc.DocTotal, rounding }, env.now());
      repo.event(row.orderId, 'sap', `Found in SAP after a restart: Sales Order ${doc.DocNum} (DocEntry ${doc.DocEntry}); not sent again`, env.now(), { docEntry: doc.DocEntry });
      ctx.ledger.intents.close(intent.id, 'found-existing', env.now(), { externalRef: String(doc.DocEntry) });
      resolveOrder(env, row.orderId);
      count(env, 'recovered');
    } else {
      ctx.ledger.intents.close(intent.id, 'failed', env.now(), { error: 'Not in SAP after a restart: the create never landed; it will be sent again' });
      if (row.stage === 'posting') repo.setStage(row.orderId, 'ready', env.now());
      repo.event(row.orderId, 'engine', 'A create cut short by a restart never reached SAP; the order will be posted again', env.now());
    }
  }
}
