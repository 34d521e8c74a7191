import type { Migration } from './index';

/**
 * Each marketplace order kept its lines' records twice: in the order's own record (its order_lines) and again on
 * every line. A line now keeps where its record sits in the order's (`rawRef`); the orders repository puts it back
 * on read. A line whose record differs from the order's copy keeps its own. And the ledger's maintenance keeps how far
 * it has looked through the timelines, so a step never reads again the events it kept (each record's first and latest),
 * and finds settled writes by an index instead of reading through every payload.
 */
export const m013OneCopyOfRawOrders: Migration = {
  version: 13,
  name: 'one-copy-of-raw-orders',
  sql: `
UPDATE marketplace_orders SET payload = json_set(payload, '$.lines', json((
  SELECT json_group_array(json(CASE
    WHEN json_type(l.value, '$.raw') = 'object' AND json_extract(l.value, '$.raw') = json_extract(marketplace_orders.payload, '$.raw.order_lines[' || l.key || ']')
      THEN json_set(json_remove(l.value, '$.raw'), '$.rawRef', json_array('order_lines', l.key))
    ELSE l.value END))
  FROM json_each(marketplace_orders.payload, '$.lines') l
)))
WHERE json_type(payload, '$.lines') = 'array' AND json_type(payload, '$.raw.order_lines') = 'array';

-- Settled writes by when they settled: pruning finds the old ones without reading every payload (a stock upload's is
-- a few hundred kilobytes, and SQLite reads through it to reach the columns after it).
CREATE INDEX intents_settled ON intents (outcome_at) WHERE outcome IS NOT NULL;

CREATE TABLE maintenance_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
