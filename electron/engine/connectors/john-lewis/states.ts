import type { LineState, OrderState, ReturnState, Shipment, ShopModel, StockImportStatus } from '../ports/marketplace';

/** Mirakl's order state codes (OR11 `order_state`, deprecated ones included) in the console's words. */
const ORDER_STATE_OF: Readonly<Record<string, OrderState>> = {
  STAGING: 'staging',
  WAITING_ACCEPTANCE: 'awaiting-acceptance',
  WAITING_DEBIT: 'awaiting-debit',
  WAITING_DEBIT_PAYMENT: 'awaiting-debit',
  SHIPPING: 'shipping',
  SHIPPED: 'shipped',
  TO_COLLECT: 'to-collect',
  RECEIVED: 'received',
  CLOSED: 'closed',
  REFUSED: 'refused',
  CANCELED: 'cancelled',
  // Not a Mirakl spelling, but seen in integrations' payloads: read it rather than call it unknown.
  CANCELLED: 'cancelled',
  WAITING_REFUND: 'refunding',
  WAITING_REFUND_PAYMENT: 'refunding',
};

/** A line may also have an incident open, or be refunded in full (OR11 `order_line_state`). */
const LINE_STATE_OF: Readonly<Record<string, LineState>> = { ...ORDER_STATE_OF, INCIDENT_OPEN: 'incident-open', REFUNDED: 'refunded' };

/** The table's own entry for a code the marketplace sent ("toString" or "constructor" are codes like any other: none). */
export const own = <T>(table: Readonly<Record<string, T>>, code: string | null): T | undefined =>
  code !== null && Object.hasOwn(table, code) ? table[code] : undefined;

/** A state code the console does not know (or none) reads as `unknown`; the code itself stays on the order. */
export const orderState = (code: string | null): OrderState => own(ORDER_STATE_OF, code) ?? 'unknown';
export const lineState = (code: string | null): LineState => own(LINE_STATE_OF, code) ?? 'unknown';

/** The codes to ask OR11 for, for the states a flow names (a comma list on the wire). */
export function stateCodes(states: readonly OrderState[]): string[] {
  return Object.entries(ORDER_STATE_OF)
    .filter(([code, state]) => states.includes(state) && code !== 'CANCELLED')
    .map(([code]) => code);
}

/** A01 `model`: who sells to the customer. */
export const shopModel = (code: string | null): ShopModel =>
  code === 'MARKETPLACE' ? 'marketplace' : code === 'DROPSHIP' ? 'dropship' : code === 'ONE_CREDITOR' ? 'one-creditor' : 'unknown';

/** ST11 shipment `status`. */
export const shipmentState = (code: string | null): Shipment['state'] =>
  code === 'SHIPPING' ? 'shipping' : code === 'SHIPPED' ? 'shipped' : code === 'TO_COLLECT' ? 'to-collect' : code === 'RECEIVED' ? 'received' : 'unknown';

/** STO02 `status`. */
export const importState = (code: string | null): StockImportStatus['state'] =>
  code === 'WAITING' ? 'waiting' : code === 'RUNNING' ? 'running' : code === 'COMPLETE' ? 'complete' : code === 'FAILED' ? 'failed' : 'unknown';

const RETURN_STATE_OF: Record<string, ReturnState> = {
  WAITING_ACCEPTANCE: 'awaiting-acceptance',
  IN_PROGRESS: 'in-progress',
  REFUSED: 'refused',
  RECEIVED: 'received',
  NO_RECEPTION: 'not-received',
  CLOSED: 'closed',
  CANCELED: 'cancelled',
};
export const returnState = (code: string | null): ReturnState => own(RETURN_STATE_OF, code) ?? 'unknown';
export const returnStateCodes = (states: readonly ReturnState[]): string[] =>
  Object.entries(RETURN_STATE_OF)
    .filter(([, s]) => states.includes(s))
    .map(([code]) => code);

/** Refund states: WAITING_REFUND_TAX_CONFIRMATION, WAITING_REFUND and the deprecated WAITING_REFUND_PAYMENT still wait for money. */
export const refundState = (code: string | null): 'pending' | 'refunded' | 'unknown' =>
  code === 'REFUNDED' ? 'refunded' : code !== null && code.startsWith('WAITING_REFUND') ? 'pending' : 'unknown';
