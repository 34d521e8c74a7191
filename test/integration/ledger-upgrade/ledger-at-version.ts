import Database from 'better-sqlite3';
import { migrate } from '../../../electron/engine/ledger/db';
import { MIGRATIONS } from '../../../electron/engine/ledger/migrations';
import type { FlowName } from '../../../shared/domain/flows';

/** The migration that first had each flow's tables: a ledger of an earlier version has none of that flow's rows. */
export const FLOW_SINCE: Record<FlowName, number> = { health: 1, stock: 2, orders: 3, despatch: 4, returns: 10, invoicing: 11, settlement: 12 };
/** Bindings came with migration 9; a Credit Memo's with returns, an invoice's with invoicing, a payout line's with settlement. */
const ENTITY_SINCE: Record<string, number> = { 'sales-order': 9, 'delivery-note': 9, item: 9, 'credit-memo': 10, invoice: 11, 'payout-line': 12 };

export const flowsAt = (version: number) => (Object.entries(FLOW_SINCE) as [FlowName, number][]).filter(([, v]) => v <= version).map(([f]) => f);

type Json = Record<string, unknown>;

/**
 * Builds, from a ledger the flows wrote at today's version, the ledger a console at `version` would have written with
 * the same trade: that version's migrations, then each row as that version held it. Tables it did not have yet, and
 * rows of flows it did not have, are left out; columns added later are dropped; what a later migration moved or
 * rewrote is put back as it was before (migration 9: states as the marketplace's codes, the Sales Order on the order's
 * row, order_events, stock_sku_mappings; migration 13: each order line with its own copy of its marketplace record;
 * migration 7: carriers only by their code).
 */
export function ledgerAtVersion(sourceFile: string, targetFile: string, version: number): void {
  const db = new Database(targetFile);
  try {
    db.pragma('journal_mode = WAL');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= version),
    );
    db.exec(`ATTACH DATABASE '${sourceFile.replace(/'/g, "''")}' AS src`);
    const flows = flowsAt(version)
      .map((f) => `'${f}'`)
      .join(',');
    const entities = Object.entries(ENTITY_SINCE)
      .filter(([, v]) => v <= version)
      .map(([e]) => `'${e}'`)
      .join(',');
    const only: Record<string, string> = {
      runs: `flow IN (${flows})`,
      exceptions: `flow IN (${flows})`,
      intents: `flow IN (${flows})`,
      jobs: `flow IN (${flows})`,
      exception_actions: 'exception_id IN (SELECT id FROM main.exceptions)',
      bindings: `entity IN (${entities || "''"})`,
      // Before migration 7 a carrier was mapped to a code of the marketplace's list, nothing else.
      ...(version < 7 ? { carrier_mappings: 'carrier_code IS NOT NULL' } : {}),
    };
    const columns = (schema: string, table: string) => (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    const tables = (schema: string) =>
      db
        .prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'`)
        .pluck()
        .all() as string[];
    const here = new Set(tables('main'));
    db.pragma('foreign_keys = OFF');
    db.transaction(() => {
      // exception_actions after exceptions: it keeps only the actions of exceptions copied.
      for (const table of tables('src').sort((a, b) => Number(a === 'exception_actions') - Number(b === 'exception_actions'))) {
        if (!here.has(table)) continue;
        const mine = new Set(columns('main', table));
        const shared = columns('src', table)
          .filter((c) => mine.has(c))
          .map((c) => `"${c}"`)
          .join(', ');
        db.exec(`INSERT INTO main.${table} (${shared}) SELECT ${shared} FROM src.${table}${only[table] ? ` WHERE ${only[table]}` : ''}`);
      }
      if (version < 13 && here.has('marketplace_orders')) rewritePayloads(db, (order) => inlineLineRecords(order));
      if (version < 10 && here.has('marketplace_orders')) rewritePayloads(db, (order) => withoutRefunds(order));
      if (version < 9) beforeBindings(db, here);
    })();
    db.exec('DETACH DATABASE src');
  } finally {
    db.close();
  }
}

function rewritePayloads(db: Database.Database, rewrite: (order: Json) => Json): void {
  const update = db.prepare('UPDATE marketplace_orders SET payload = ? WHERE order_id = ?');
  for (const row of db.prepare('SELECT order_id, payload FROM marketplace_orders').all() as { order_id: string; payload: string }[])
    update.run(JSON.stringify(rewrite(JSON.parse(row.payload) as Json)), row.order_id);
}

/** Before migration 13 each line kept its own copy of its marketplace record (`raw`) instead of where it sits in the order's. */
function inlineLineRecords(order: Json): Json {
  const raw = order.raw as Record<string, unknown[]>;
  const lines = (order.lines as Json[]).map(({ rawRef, ...line }) => {
    if (!Array.isArray(rawRef)) return line;
    const [key, index] = rawRef as [string, number];
    return { ...line, raw: raw[key]?.[index] ?? {} };
  });
  return { ...order, lines };
}

/** Order lines carried their refunds from the returns flow on (migration 10). */
function withoutRefunds(order: Json): Json {
  return { ...order, lines: (order.lines as Json[]).map(({ refunds: _refunds, ...line }) => line) };
}

/**
 * Before migration 9: states were the marketplace's own codes (in the columns and in the stored order), an order's
 * Sales Order sat on its row, its timeline was order_events, and SKU mappings were the stock flow's table.
 */
function beforeBindings(db: Database.Database, here: Set<string>): void {
  if (here.has('marketplace_orders')) {
    db.exec(`UPDATE marketplace_orders SET marketplace_state = (SELECT s.state_code FROM src.marketplace_orders s WHERE s.order_id = marketplace_orders.order_id),
      doc_entry = (SELECT CAST(b.external_id AS INTEGER) FROM src.bindings b WHERE b.record_type = 'order' AND b.record_key = marketplace_orders.order_id AND b.system = 'sap-b1' AND b.entity = 'sales-order'),
      doc_num = (SELECT CAST(b.label AS INTEGER) FROM src.bindings b WHERE b.record_type = 'order' AND b.record_key = marketplace_orders.order_id AND b.system = 'sap-b1' AND b.entity = 'sales-order')`);
    db.exec(`UPDATE marketplace_order_lines SET state = (SELECT s.state_code FROM src.marketplace_order_lines s
      WHERE s.order_id = marketplace_order_lines.order_id AND s.order_line_id = marketplace_order_lines.order_line_id)`);
    rewritePayloads(db, ({ stateCode, ...order }) => ({
      ...order,
      state: stateCode,
      lines: (order.lines as Json[]).map(({ stateCode: code, ...line }) => ({ ...line, state: code })),
    }));
    db.exec(`INSERT INTO order_events (id, order_id, at, source, summary, detail)
      SELECT id, record_key, at, source, summary, detail FROM src.record_events WHERE record_type = 'order' ORDER BY id`);
  }
  if (here.has('stock_sku_mappings'))
    db.exec(`INSERT INTO stock_sku_mappings (sku, item_code, updated_at)
      SELECT record_key, external_id, synced_at FROM src.bindings WHERE record_type = 'sku' AND system = 'sap-b1' AND entity = 'item'`);
}
