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
  /** forStock for every SKU at once, in one grouped query: only the SKUs with units reserved are in the map. */
  forStockBySku(readAt: string): Map<string, number>;
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
  const stages = [...UNDECIDED, ...ACCEPTED_NOT_IN_SAP];
  // Driven from the orders that can hold units (by stage, and the few posted after the read), not from every line.
  const everySku = db.prepare(
    `SELECT l.sku, sum(l.quantity) AS units FROM marketplace_order_lines l
     JOIN (SELECT order_id FROM marketplace_orders WHERE stage IN (${stages.map(() => '?').join(',')})
           UNION ALL SELECT order_id FROM marketplace_orders WHERE stage = 'posted' AND posted_at > ?) o ON o.order_id = l.order_id
     WHERE l.sku IS NOT NULL AND coalesce(l.state, '') NOT IN (${LINE_GONE.map(() => '?').join(',')})
     GROUP BY l.sku HAVING sum(l.quantity) > 0`,
  );
  return {
    forStock: (sku, readAt) => stock.pluck().get(sku, '', ...LINE_GONE, ...UNDECIDED, ...ACCEPTED_NOT_IN_SAP, readAt) as number,
    forStockBySku: (readAt) => new Map((everySku.all(...stages, readAt, ...LINE_GONE) as { sku: string; units: number }[]).map((r) => [r.sku, r.units])),
    forAcceptance: (sku, readAt, orderId) => acceptance.pluck().get(sku, orderId, ...LINE_GONE, ...ACCEPTED_NOT_IN_SAP, readAt) as number,
  };
}
