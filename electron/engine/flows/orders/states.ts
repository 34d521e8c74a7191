import type { LineState, OrderState } from '../../connectors/ports/marketplace';

/** Debited: the marketplace lets the order ship (or has shipped it), so SAP may get its Sales Order. */
export const DEBITED_STATES: readonly OrderState[] = ['shipping', 'shipped', 'to-collect', 'received', 'refunding'];
export const ENDED_STATES: readonly OrderState[] = ['cancelled', 'refused'];
/** Already fulfilled when first seen: before the go-live cut-off such an order is history, not work. */
export const FULFILLED_STATES: readonly OrderState[] = ['shipped', 'received', 'closed', 'refunding'];
/** Lines the marketplace no longer expects anyone to ship. */
export const LINE_GONE: readonly LineState[] = ['refused', 'cancelled'];

/** How far along its one path a marketplace state is; states off that path (refunding, unknown) have no place on it. */
const PROGRESS: Partial<Record<OrderState, number>> = {
  staging: 0,
  'awaiting-acceptance': 1,
  'awaiting-debit': 2,
  shipping: 3,
  shipped: 4,
  'to-collect': 4,
  received: 5,
  closed: 6,
};
/** States an order does not leave. */
const FINAL_STATES: readonly OrderState[] = ['refused', 'cancelled', 'closed'];

/**
 * The marketplace moved an order back along its path (SHIPPING to WAITING_ACCEPTANCE), or brought an ended order back
 * to life (CANCELED to SHIPPING). Never true of a move the marketplace makes in its ordinary course, nor of a state
 * the console does not know (that has its own exception).
 */
export function movedBackwards(before: OrderState, after: OrderState): boolean {
  if (before === after || after === 'unknown' || before === 'unknown') return false;
  if (FINAL_STATES.includes(before)) return !FINAL_STATES.includes(after) && after !== 'refunding';
  const from = PROGRESS[before];
  const to = PROGRESS[after];
  return from !== undefined && to !== undefined && to < from;
}
