import Decimal from 'decimal.js';
import { count, resolveOrder, type OrdersEnv } from './env';
import { CREATE_OPERATION, youngIntent } from './posting';
import { findSalesOrder } from './sap-lookup';

/**
 * The outbox: a create intent without an outcome (SAP never answered it, or the engine died while it was in
 * flight) is resolved by looking the Sales Order up (order-id field, then NumAtCard) once the settle time has
 * passed, never sooner, because SAP may still commit it. Found: the order is posted. Not found: the create never
 * landed, the intent is closed and the order goes back to ready (it is looked up once more before it is sent).
 * Each intent on its own: a lookup that fails stays open and is tried again next run.
 */
export async function recoverIntents(env: OrdersEnv): Promise<void> {
  const { ctx, repo } = env;
  for (const intent of ctx.ledger.intents.pending('orders')) {
    if (intent.system !== 'sap-b1' || intent.operation !== CREATE_OPERATION) continue;
    if (youngIntent(env, intent.recordKey)) continue;
    const row = repo.get(intent.recordKey);
    if (!row) continue;
    try {
      const doc = await findSalesOrder(env.sap, env.settings, row.orderId, row.numAtCard);
      if (doc) {
        const rounding = new Decimal(String((intent.payload as { rounding?: string } | null)?.rounding ?? 0));
        repo.markPosted(row.orderId, { docEntry: doc.docEntry, docNum: doc.docNum, sapTotal: doc.total, rounding }, env.now());
        repo.event(
          row.orderId,
          'sap',
          `Found in SAP after the create went unanswered: Sales Order ${doc.docNum} (DocEntry ${doc.docEntry}); not sent again`,
          env.now(),
          { docEntry: doc.docEntry },
        );
        ctx.ledger.intents.close(intent.id, 'found-existing', env.now(), { externalRef: String(doc.docEntry) });
        resolveOrder(env, row.orderId);
        count(env, 'recovered');
      } else {
        ctx.ledger.intents.close(intent.id, 'failed', env.now(), { error: 'Not in SAP after the settle time: the create never landed; it will be sent again' });
        if (row.stage === 'posting') repo.setStage(row.orderId, 'ready', env.now());
        repo.event(
          row.orderId,
          'engine',
          'A create SAP never answered did not land (not found after the settle time); the order will be posted again',
          env.now(),
        );
        count(env, 'neverLanded');
      }
    } catch (e) {
      ctx.logger.warn('Looking up an unanswered Sales Order create failed; tried again next run', {
        orderId: row.orderId,
        error: e instanceof Error ? e.message : String(e),
      });
      count(env, 'lookupFailed');
    }
  }
}
