import { count, raiseOnOrder, resolveOrder, type OrdersEnv } from './env';
import { ENDED_STATES } from './intake';
import { findSalesOrder } from './sap-lookup';
import { youngIntent } from './posting';
import type { OrderRow } from './repository';

/**
 * Orders the marketplace cancelled or refused. Before posting: nothing goes to SAP, the ledger row closes.
 * After posting and before any delivery: the Sales Order is closed (releasing what it committed) and that is
 * recorded. Once SAP delivered some of it: a person must reverse the delivery.
 */
export async function cancellations(env: OrdersEnv): Promise<void> {
  const { repo } = env;
  const rows = repo
    .inStages(['awaiting-acceptance', 'held', 'accepted', 'ready', 'posting', 'blocked', 'posted'])
    .filter((r) => r.marketplaceState && ENDED_STATES.includes(r.marketplaceState) && !youngIntent(env, r.orderId));
  for (const row of rows) {
    try {
      await cancelOne(env, row);
    } catch (e) {
      env.ctx.logger.warn('A cancellation could not be carried out; tried again next run', {
        orderId: row.orderId,
        error: e instanceof Error ? e.message : String(e),
      });
      count(env, 'cancelFailed');
    }
  }
}

/** One cancelled or refused order: close the ledger row, or close its Sales Order, or ask a person. */
async function cancelOne(env: OrdersEnv, row: OrderRow): Promise<void> {
  const { repo } = env;
  // A create may have landed even though the ledger does not know it yet: look before deciding.
  const doc = row.docEntry !== null ? await env.sap.salesOrders.find(row.docEntry) : await findSalesOrder(env.sap, env.settings, row.orderId, row.numAtCard);
  if (!doc) {
    repo.setStage(row.orderId, 'closed', env.now());
    repo.event(
      row.orderId,
      'engine',
      `Closed: ${row.stateCode ?? row.marketplaceState} on the marketplace before a Sales Order was posted; nothing sent to SAP`,
      env.now(),
    );
    resolveOrder(env, row.orderId);
    count(env, 'closed');
    return;
  }
  const delivered = doc.lines.some((l) => l.openQuantity.lt(l.quantity));
  if (doc.cancelled || (doc.status !== 'open' && !delivered)) {
    repo.setStage(row.orderId, 'closed', env.now());
    repo.event(row.orderId, 'sap', `Sales Order ${doc.docNum} was already closed in SAP`, env.now());
    return;
  }
  if (delivered) {
    raiseOnOrder(
      env,
      row.orderId,
      'cancelled-after-delivery',
      `${row.orderId} was ${row.stateCode ?? row.marketplaceState} on the marketplace but SAP has delivered from Sales Order ${doc.docNum}`,
      null,
    );
    return;
  }
  if (env.lease && !env.lease.holds()) return;
  const sent = await env.ctx.write(
    { system: 'sap-b1', operation: 'close-sales-order', recordKey: row.orderId, payload: { docEntry: doc.docEntry } },
    async () => ({
      result: await env.sap.salesOrders.close(doc.docEntry),
      externalRef: String(doc.docEntry),
    }),
  );
  if (!sent.sent) {
    count(env, 'dryRun');
    return;
  }
  repo.setStage(row.orderId, 'closed', env.now());
  repo.event(row.orderId, 'sap', `Sales Order ${doc.docNum} closed: the order was ${row.stateCode ?? row.marketplaceState} on the marketplace`, env.now(), {
    docEntry: doc.docEntry,
  });
  resolveOrder(env, row.orderId);
  count(env, 'closedInSap');
}
