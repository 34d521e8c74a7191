import { returnRef } from '../../ledger/bindings';
import { isMarketplaceFailure, type BatchOutcome } from '../../connectors/ports/marketplace';
import { count, event, raise, retryKey, type ReturnsEnv } from './env';
import type { ReturnRow } from './repository';

/** How many returns one run looks for in SAP (where the warehouse books goods in by keying a Return). */
const SAP_RETURN_CHECKS_PER_RUN = 50;

/**
 * Sends one batch call (RT21, RT25). The marketplace refusing the call as a whole (a 4xx) is each return's refusal,
 * in its words, so those returns wait for a person and the call is not made again every run; anything else throws.
 */
async function batchCall(ids: readonly string[], call: () => Promise<BatchOutcome>): Promise<BatchOutcome> {
  try {
    return await call();
  } catch (e) {
    if (!(isMarketplaceFailure(e) && e.refused)) throw e;
    const message = e.rawBody ?? e.message;
    return { succeeded: [], failed: ids.map((id) => ({ id, message })) };
  }
}

function failures(outcome: BatchOutcome): Map<string, string> {
  return new Map(outcome.failed.filter((f) => f.id !== null).map((f) => [f.id!, f.message]));
}

/**
 * Accepts (or refuses) returns waiting for the seller: every one when settings accept returns automatically, else
 * those a person decided in the console. RT21 answers per return: one refused never hides the others.
 */
export async function sendDecisions(env: ReturnsEnv): Promise<void> {
  const { repo } = env;
  const waiting = [
    ...repo.returnsInStages(['awaiting-acceptance']),
    ...repo.returnsInStages(['blocked']).filter((r) => r.marketplaceState === 'awaiting-acceptance' && env.retrying.has(retryKey(returnRef(r.returnId)))),
  ];
  const due = waiting.filter((r) => r.decision !== null || env.settings.autoAccept);
  if (!due.length) return;
  const decisions = due.map((r) => {
    const refuse = r.decision?.startsWith('refuse:') ? r.decision.slice('refuse:'.length) : null;
    return refuse ? { returnId: r.returnId, accepted: false, rejectionReasonCode: refuse } : { returnId: r.returnId, accepted: true };
  });
  const outcome = await batchCall(
    decisions.map((d) => d.returnId),
    () => env.marketplace.returns.accept(decisions),
  );
  const failed = failures(outcome);
  const at = env.now();
  for (const r of due) {
    const message = failed.get(r.returnId);
    const decision = decisions.find((d) => d.returnId === r.returnId)!;
    if (message === undefined && outcome.succeeded.includes(r.returnId)) {
      repo.setDecision(r.returnId, null, at);
      repo.setReturnStage(r.returnId, decision.accepted ? 'awaiting-goods' : 'refused', at);
      env.ctx.resolve('return-refused-by-marketplace', returnRef(r.returnId));
      event(env, r.orderId, 'marketplace', `Return ${r.rma ?? r.returnId} ${decision.accepted ? 'accepted' : `refused (${decision.rejectionReasonCode})`}`, {
        returnId: r.returnId,
      });
      count(env, decision.accepted ? 'accepted' : 'refused');
    } else {
      repo.setReturnStage(r.returnId, 'blocked', at);
      raise(
        env,
        returnRef(r.returnId),
        r.orderId,
        'return-refused-by-marketplace',
        `The marketplace did not take the ${decision.accepted ? 'acceptance' : 'refusal'} of return ${r.rma ?? r.returnId}: ${message ?? 'not mentioned in its answer'}`,
        message ?? null,
      );
      count(env, 'decisionFailed');
    }
  }
}

/**
 * Where the warehouse books goods in by keying a Return in SAP: a Return for the order that no other return of ours
 * took already marks the marketplace return received.
 */
export async function findSapReturns(env: ReturnsEnv): Promise<void> {
  if (env.settings.receivedBy !== 'sap-return') return;
  const { repo } = env;
  for (const r of repo.returnsInStages(['awaiting-goods'], SAP_RETURN_CHECKS_PER_RUN)) {
    const posted = r.orderId ? env.postedOrders.get(r.orderId) : null;
    if (!posted) continue;
    const docs = await env.sap.returns.forMarketplaceOrder({
      marketplaceOrderId: posted.orderId,
      customerReference: posted.numAtCard,
      customer: env.orders.cardCode,
    });
    const taken = new Set(repo.returnsOfOrder(posted.orderId).map((x) => x.sapReturnEntry));
    const doc = docs.find((d) => !d.cancelled && (d.marketplaceReturnId === r.returnId || (!d.marketplaceReturnId && !taken.has(d.docEntry))));
    if (!doc) continue;
    repo.markReceived(r.returnId, `SAP Return ${doc.docNum}`, env.now(), { docEntry: doc.docEntry, docNum: doc.docNum });
    event(env, r.orderId, 'sap', `The warehouse booked return ${r.rma ?? r.returnId} in: SAP Return ${doc.docNum}`, {
      returnId: r.returnId,
      docEntry: doc.docEntry,
    });
    count(env, 'sapReturnsFound');
  }
}

/** Tells the marketplace the goods are back (RT25) for returns booked in; per return, as the marketplace answers. */
export async function sendReceipts(env: ReturnsEnv): Promise<void> {
  const { repo } = env;
  const due: ReturnRow[] = [
    ...repo.returnsInStages(['receiving']),
    ...repo.returnsInStages(['blocked']).filter((r) => r.receivedAt !== null && r.receiptSentAt === null && env.retrying.has(retryKey(returnRef(r.returnId)))),
  ];
  if (!due.length) return;
  const ids = due.map((r) => r.returnId);
  const outcome = await batchCall(ids, () => env.marketplace.returns.receive(ids));
  const failed = failures(outcome);
  const at = env.now();
  for (const r of due) {
    const message = failed.get(r.returnId);
    if (message === undefined && outcome.succeeded.includes(r.returnId)) {
      repo.receiptSent(r.returnId, at);
      env.ctx.resolve('return-refused-by-marketplace', returnRef(r.returnId));
      event(env, r.orderId, 'marketplace', `Return ${r.rma ?? r.returnId} marked received on the marketplace (booked in by ${r.receivedBy ?? '?'})`, {
        returnId: r.returnId,
      });
      count(env, 'receiptsSent');
    } else {
      repo.setReturnStage(r.returnId, 'blocked', at);
      raise(
        env,
        returnRef(r.returnId),
        r.orderId,
        'return-refused-by-marketplace',
        `The marketplace did not take return ${r.rma ?? r.returnId} as received: ${message ?? 'not mentioned in its answer'}`,
        message ?? null,
      );
      count(env, 'receiptFailed');
    }
  }
}
