import type { Db } from './ledger/db';
import type { SearchHit } from '../../shared/contract/search';
import { consoleAddress } from '../../shared/domain/console-address';

const MAX_HITS = 20;
const ENTITY_WORDS: Record<string, string> = {
  'sales-order': 'SAP Sales Order',
  'delivery-note': 'SAP Delivery Note',
  invoice: 'SAP Invoice',
  'credit-memo': 'SAP Credit Memo',
};

/**
 * The header's search: whatever number someone has in hand — the marketplace order id, the customer's number, an
 * SAP document number, a SKU or SAP item code, a tracking number — to the record it belongs to. Ids match from their
 * start or anywhere in them; document and tracking numbers match exactly. At most 8 rows a table, 20 in all.
 */
export function searchRecords(db: Db, text: string): SearchHit[] {
  const term = text.trim();
  const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  const add = (hit: SearchHit) => {
    const key = `${hit.kind}|${hit.key}`;
    if (seen.has(key) || hits.length >= MAX_HITS) return;
    seen.add(key);
    hits.push(hit);
  };

  // Exact numbers first (an SAP document, a tracking number), then ids that contain what was typed.
  const documents = db
    .prepare(
      "SELECT record_key, entity, label FROM bindings WHERE system = 'sap-b1' AND record_type = 'order' AND entity IN ('sales-order','delivery-note','invoice','credit-memo') AND label = ? LIMIT 8",
    )
    .all(term) as { record_key: string; entity: string; label: string }[];
  for (const d of documents) {
    const screen = d.entity === 'delivery-note' ? 'despatch' : 'orders';
    add({
      kind: screen === 'despatch' ? 'despatch' : 'order',
      key: d.record_key,
      matched: `${ENTITY_WORDS[d.entity] ?? d.entity} ${d.label}`,
      address: consoleAddress(screen, d.record_key),
    });
  }
  const tracked = db
    .prepare(
      `SELECT order_id, coalesce(corrected_tracking, sent_tracking) AS tracking FROM despatches WHERE sent_tracking = ? OR corrected_tracking = ?
       UNION SELECT order_id, tracking_number FROM despatch_shipments WHERE tracking_number = ? LIMIT 8`,
    )
    .all(term, term, term) as { order_id: string; tracking: string }[];
  for (const t of tracked) add({ kind: 'despatch', key: t.order_id, matched: `Tracking ${t.tracking}`, address: consoleAddress('despatch', t.order_id) });
  const orders = db
    .prepare(
      `SELECT order_id, num_at_card, commercial_id FROM marketplace_orders
       WHERE order_id LIKE ? ESCAPE '\\' OR num_at_card LIKE ? ESCAPE '\\' OR commercial_id LIKE ? ESCAPE '\\' ORDER BY created_date DESC LIMIT 8`,
    )
    .all(like, like, like) as { order_id: string; num_at_card: string | null; commercial_id: string | null }[];
  for (const o of orders) {
    const matched = o.order_id.includes(term) ? `Order ${o.order_id}` : `Customer's number ${o.num_at_card ?? o.commercial_id ?? ''}`;
    add({ kind: 'order', key: o.order_id, matched, address: consoleAddress('orders', o.order_id) });
  }
  const skus = db
    .prepare("SELECT sku, item_code FROM stock_figures WHERE sku LIKE ? ESCAPE '\\' OR item_code LIKE ? ESCAPE '\\' ORDER BY sku LIMIT 8")
    .all(like, like) as { sku: string; item_code: string }[];
  for (const s of skus)
    add({
      kind: 'sku',
      key: s.sku,
      matched: s.sku === s.item_code ? `SKU ${s.sku}` : `SKU ${s.sku} (SAP item ${s.item_code})`,
      address: consoleAddress('stock', s.sku),
    });
  return hits;
}
