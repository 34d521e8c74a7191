import type { ReturnsEnv } from './env';
import type { RefundRow, ReturnRow } from './repository';

/** Stages of a return whose goods are booked in (by a person or by a Return the warehouse keyed in SAP). */
const GOODS_BACK = ['receiving', 'received', 'credited'] as const;
/** Stages of a return whose goods may still come. */
const GOODS_COMING = ['awaiting-goods'] as const;
/** How long a refund waits for the goods of a return on its line before it is credited as money only. */
export const WAIT_FOR_GOODS_MS = 30 * 24 * 60 * 60_000;

const returnsOnLine = (env: ReturnsEnv, refund: RefundRow, stages: readonly string[]): ReturnRow[] =>
  env.repo
    .returnsOfOrder(refund.orderId)
    .filter((r) => stages.includes(r.stage) || (r.stage === 'blocked' && r.receivedAt !== null && stages === GOODS_BACK))
    .filter((r) => r.lines.some((l) => l.orderLineId === refund.orderLineId));

/**
 * The received return whose units on the refund's line are not yet paid back by another refund, with how many are
 * left: the refund's Credit Memo takes those goods back.
 */
export function returnedUnitsFor(env: ReturnsEnv, refund: RefundRow): { returnId: string; rma: string | null; quantity: number } | null {
  for (const r of returnsOnLine(env, refund, GOODS_BACK)) {
    const returned = r.lines.filter((l) => l.orderLineId === refund.orderLineId).reduce((a, l) => a + l.quantity, 0);
    const left = returned - env.repo.returnedQuantityCredited(r.returnId, refund.orderLineId, refund.refundId);
    if (left > 0) return { returnId: r.returnId, rma: r.rma, quantity: left };
  }
  return null;
}

/**
 * A refund made while a return of its line is still on its way waits for the goods, so one Credit Memo books the
 * money and the goods together (SAP takes no Return on an invoiced delivery). It waits at most WAIT_FOR_GOODS_MS.
 */
export function waitsForGoods(env: ReturnsEnv, refund: RefundRow): ReturnRow | null {
  if (refund.quantity <= 0 || returnedUnitsFor(env, refund)) return null;
  const created = Date.parse(refund.createdDate ?? refund.updatedAt);
  if (!Number.isNaN(created) && env.now().getTime() - created > WAIT_FOR_GOODS_MS) return null;
  return returnsOnLine(env, refund, GOODS_COMING)[0] ?? null;
}
