import type { Migration } from './index';

/**
 * The engine renovation (issue 11): marketplace states in the console's own words, with the platform's code kept
 * for display.
 */
export const m009EngineRenovation: Migration = {
  version: 9,
  name: 'engine-renovation',
  sql: `
-- Marketplace states in the console's words (the connector translates the platform's codes); the code stays for display.
ALTER TABLE marketplace_orders ADD COLUMN state_code TEXT;
UPDATE marketplace_orders SET state_code = marketplace_state;
UPDATE marketplace_orders SET marketplace_state = CASE state_code WHEN 'STAGING' THEN 'staging' WHEN 'WAITING_ACCEPTANCE' THEN 'awaiting-acceptance' WHEN 'WAITING_DEBIT' THEN 'awaiting-debit' WHEN 'WAITING_DEBIT_PAYMENT' THEN 'awaiting-debit' WHEN 'SHIPPING' THEN 'shipping' WHEN 'SHIPPED' THEN 'shipped' WHEN 'TO_COLLECT' THEN 'to-collect' WHEN 'RECEIVED' THEN 'received' WHEN 'CLOSED' THEN 'closed' WHEN 'REFUSED' THEN 'refused' WHEN 'CANCELED' THEN 'cancelled' WHEN 'CANCELLED' THEN 'cancelled' WHEN 'WAITING_REFUND' THEN 'refunding' WHEN 'WAITING_REFUND_PAYMENT' THEN 'refunding' ELSE 'unknown' END;
ALTER TABLE marketplace_order_lines ADD COLUMN state_code TEXT;
UPDATE marketplace_order_lines SET state_code = state;
UPDATE marketplace_order_lines SET state = CASE state_code WHEN 'STAGING' THEN 'staging' WHEN 'WAITING_ACCEPTANCE' THEN 'awaiting-acceptance' WHEN 'WAITING_DEBIT' THEN 'awaiting-debit' WHEN 'WAITING_DEBIT_PAYMENT' THEN 'awaiting-debit' WHEN 'SHIPPING' THEN 'shipping' WHEN 'SHIPPED' THEN 'shipped' WHEN 'TO_COLLECT' THEN 'to-collect' WHEN 'RECEIVED' THEN 'received' WHEN 'CLOSED' THEN 'closed' WHEN 'REFUSED' THEN 'refused' WHEN 'CANCELED' THEN 'cancelled' WHEN 'CANCELLED' THEN 'cancelled' WHEN 'WAITING_REFUND' THEN 'refunding' WHEN 'WAITING_REFUND_PAYMENT' THEN 'refunding' WHEN 'INCIDENT_OPEN' THEN 'incident-open' WHEN 'REFUNDED' THEN 'refunded' ELSE 'unknown' END;
`,
};
