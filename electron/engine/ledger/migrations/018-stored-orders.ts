import type { Migration } from './index';

/** The marketplace's order state codes in the console's words, as migration 9 translated the columns. */
const ORDER_WORDS = `WHEN 'STAGING' THEN 'staging' WHEN 'WAITING_ACCEPTANCE' THEN 'awaiting-acceptance' WHEN 'WAITING_DEBIT' THEN 'awaiting-debit'
  WHEN 'WAITING_DEBIT_PAYMENT' THEN 'awaiting-debit' WHEN 'SHIPPING' THEN 'shipping' WHEN 'SHIPPED' THEN 'shipped' WHEN 'TO_COLLECT' THEN 'to-collect'
  WHEN 'RECEIVED' THEN 'received' WHEN 'CLOSED' THEN 'closed' WHEN 'REFUSED' THEN 'refused' WHEN 'CANCELED' THEN 'cancelled' WHEN 'CANCELLED' THEN 'cancelled'
  WHEN 'WAITING_REFUND' THEN 'refunding' WHEN 'WAITING_REFUND_PAYMENT' THEN 'refunding'`;
/** A line may also have an incident open, or be refunded in full. */
const LINE_WORDS = `${ORDER_WORDS} WHEN 'INCIDENT_OPEN' THEN 'incident-open' WHEN 'REFUNDED' THEN 'refunded'`;

/**
 * Two things about each order as stored (its payload).
 *
 * Migration 9 put the marketplace's states in the console's words in the order's columns, but each order as it was
 * stored (its payload, which the order's screen reads its lines from) kept the codes: an order stored before then and
 * not read again since (a closed one) showed its lines as SHIPPED where every newer one says shipped. Such an order
 * (its stored record has no stateCode) gets the words, with the code kept beside them, as the connector stores them now.
 *
 * And the ledger's maintenance drops the marketplace's own record of an order (its whole OR11 answer) once the order
 * has not changed for a while (ledger/retention.ts): it finds them by when they last changed, through this index.
 */
export const m018StoredOrders: Migration = {
  version: 18,
  name: 'stored-orders',
  sql: `
UPDATE marketplace_orders SET payload = json_set(payload,
  '$.stateCode', json_extract(payload, '$.state'),
  '$.state', CASE json_extract(payload, '$.state') ${ORDER_WORDS} ELSE 'unknown' END,
  '$.lines', json((
    SELECT json_group_array(json(json_set(l.value,
      '$.stateCode', json_extract(l.value, '$.state'),
      '$.state', CASE json_extract(l.value, '$.state') ${LINE_WORDS} ELSE 'unknown' END)))
    FROM json_each(marketplace_orders.payload, '$.lines') l
  )))
WHERE json_type(payload, '$.stateCode') IS NULL AND json_type(payload, '$.lines') = 'array';

CREATE INDEX marketplace_orders_updated ON marketplace_orders (updated_at, order_id);
`,
};
