import type { Db } from '../../ledger/db';
import type { LineState } from '../../connectors/ports/marketplace';

/** Orders not decided yet: the marketplace has counted their units down, but they may still be refused. */
const UNDECIDED = ['awaiting-acceptance', 'held'];
/** Accepted, not yet (or not knowingly) a Sales Order in SAP. */
const ACCEPTED_NOT_IN_SAP = ['accepted', 'ready', 'posting', 'blocked'];
/** Lines the marketplace no longer expects us to ship. */
const LINE_GONE: readonly LineState[] = ['refused', 'cancelled', 'closed'];

export interface Reservations {
  /**
   * Units the stock flow must take off SAP's figure read at `readAt`: every order the marketplace has counted
   * down and SAP had not committed at that moment (undecided, accepted, or posted after the read).
   */
  forStock(sku: string, readAt: string): number;
  /** Units an order being accepted must leave for the orders accepted before it (undecided ones do not count). */
  forAcceptance(sku: string, readAt: string, orderId: string): number;
}

/** Reservations read from the orders flow's ledger, so stock and acceptance never sell a unit twice. */
export function reservations(db: Db): Reservations {
  const query = (stages: string[]) =>
    db.prepare(
      `SELECT coalesce(sum(l.quantity), 0) FROM marketplace_order_lines l JOIN marketplace_orders o ON o.order_id = l.order_id
       WHERE l.sku = ? AND o.order_id <> ? AND coalesce(l.state, '') NOT IN (${LINE_GONE.map(() => '?').join(',')})
         AND (o.stage IN (${stages.map(() => '?').join(',')}) OR (o.stage = 'posted' AND o.posted_at > ?))`,
    );
  const stock = query([...UNDECIDED, ...ACCEPTED_NOT_IN_SAP]);
  const acceptance = query(ACCEPTED_NOT_IN_SAP);
  return {
    forStock: (sku, readAt) => stock.pluck().get(sku, '', ...LINE_GONE, ...UNDECIDED, ...ACCEPTED_NOT_IN_SAP, readAt) as number,
    forAcceptance: (sku, readAt, orderId) => acceptance.pluck().get(sku, orderId, ...LINE_GONE, ...ACCEPTED_NOT_IN_SAP, readAt) as number,
  };
}
