import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../electron/engine/ledger/db';
import { createLedger } from '../../electron/engine/ledger';
import { MIGRATIONS } from '../../electron/engine/ledger/migrations';
import { tempDir } from '../support/ports';

const tmp = tempDir('bindings-test-');
afterAll(() => tmp.cleanup());
const at = new Date('2026-11-26T09:00:00Z');
const order = (key: string) => ({ type: 'order' as const, key });

describe('bindings', () => {
  it('a ledger from before bindings keeps every posted order, Delivery Note, SKU mapping and timeline event (migration 009)', () => {
    const file = tmp.file('v8.db');
    const old = new Database(file);
    migrate(
      old,
      MIGRATIONS.filter((m) => m.version <= 8),
    );
    old
      .prepare(
        `INSERT INTO marketplace_orders (order_id, num_at_card, marketplace_state, stage, payload, first_seen_at, updated_at, posted_at, doc_entry, doc_num)
         VALUES ('JL-1-A', 'JL-1', 'SHIPPING', 'posted', '{}', ?, ?, ?, 412, 10412), ('JL-2-A', 'JL-2', 'WAITING_ACCEPTANCE', 'awaiting-acceptance', '{}', ?, ?, NULL, NULL, NULL)`,
      )
      .run(at.toISOString(), at.toISOString(), at.toISOString(), at.toISOString(), at.toISOString());
    old
      .prepare(
        `INSERT INTO despatch_deliveries (doc_entry, order_id, sales_order_entry, doc_num, update_stamp, first_seen_at, updated_at) VALUES (77, 'JL-1-A', 412, 20077, 's', ?, ?)`,
      )
      .run(at.toISOString(), at.toISOString());
    old
      .prepare("INSERT INTO despatches (order_id, sales_order_entry, delivery_entry, state, updated_at) VALUES ('JL-1-A', 412, 77, 'ready', ?)")
      .run(at.toISOString());
    old.prepare("INSERT INTO stock_sku_mappings (sku, item_code, updated_at) VALUES ('JL-SKU-9', 'ITEM-9', ?)").run(at.toISOString());
    old.prepare("INSERT INTO order_events (order_id, at, source, summary) VALUES ('JL-1-A', ?, 'sap', 'Sales Order 10412 created')").run(at.toISOString());
    old.close();

    const ledger = createLedger(file);
    expect(ledger.bindings.external(order('JL-1-A'), 'sap-b1', 'sales-order')).toMatchObject({ externalId: '412', label: '10412' });
    expect(ledger.bindings.external(order('JL-2-A'), 'sap-b1', 'sales-order')).toBeNull();
    expect(ledger.bindings.recordOf('sap-b1', 'delivery-note', '77', 'order')).toBe('JL-1-A');
    expect(ledger.bindings.itemCodeFor('JL-SKU-9')).toBe('ITEM-9');
    expect(ledger.timeline.of(order('JL-1-A')).map((e) => e.summary)).toEqual(['Sales Order 10412 created']);
    expect(ledger.db.prepare("SELECT num_at_card FROM despatches WHERE order_id = 'JL-1-A'").pluck().get()).toBe('JL-1');
    expect(ledger.db.prepare("SELECT marketplace_state FROM marketplace_orders WHERE order_id = 'JL-1-A'").pluck().get()).toBe('shipping');
    const columns = (ledger.db.prepare('PRAGMA table_info(marketplace_orders)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('doc_entry');
    ledger.close();
  });

  it('a Sales Order bound again replaces the one before (a duplicate closed), and is found from either side', () => {
    const ledger = createLedger(tmp.file('bind.db'));
    const { bindings } = ledger;
    bindings.bindOnly(order('JL-3-A'), { system: 'sap-b1', entity: 'sales-order', id: '500', label: '10500' }, at);
    const { before } = bindings.bindOnly(order('JL-3-A'), { system: 'sap-b1', entity: 'sales-order', id: '501', label: '10501' }, at);
    expect(before?.externalId).toBe('500');
    expect(bindings.externals(order('JL-3-A'), 'sap-b1', 'sales-order').map((b) => b.externalId)).toEqual(['501']);
    expect(bindings.recordOf('sap-b1', 'sales-order', '500', 'order')).toBeNull();
    expect(bindings.recordOf('sap-b1', 'sales-order', '501', 'order')).toBe('JL-3-A');

    // A Delivery Note may serve several orders; an order may have several Delivery Notes.
    bindings.bind(order('JL-3-A'), { system: 'sap-b1', entity: 'delivery-note', id: '90' }, at);
    bindings.bind(order('JL-3-A'), { system: 'sap-b1', entity: 'delivery-note', id: '91' }, at);
    bindings.bind(order('JL-4-A'), { system: 'sap-b1', entity: 'delivery-note', id: '91' }, at);
    expect(bindings.externals(order('JL-3-A'), 'sap-b1', 'delivery-note').map((b) => b.externalId)).toEqual(['90', '91']);
    expect(bindings.recordsOf('sap-b1', 'delivery-note', '91', 'order')).toEqual(['JL-3-A', 'JL-4-A']);
    ledger.close();
  });

  it('SKU to SAP item is identity unless bound, and one to one: an item bound from another SKU moves', () => {
    const ledger = createLedger(tmp.file('sku.db'));
    const { bindings } = ledger;
    expect(bindings.itemCodeFor('JL-A')).toBe('JL-A');
    expect(bindings.mapSku('JL-A', 'ITEM-1', at)).toEqual({ before: null });
    expect(bindings.mapSku('JL-B', 'ITEM-1', at)).toEqual({ before: null });
    expect(bindings.itemCodeFor('JL-A')).toBe('JL-A');
    expect(bindings.itemCodeFor('JL-B')).toBe('ITEM-1');
    expect([...bindings.skuOverrides()]).toEqual([['ITEM-1', 'JL-B']]);
    // Back to its own code: the override goes.
    expect(bindings.mapSku('JL-B', 'JL-B', at)).toEqual({ before: 'ITEM-1' });
    expect(bindings.skuOverrides().size).toBe(0);
    ledger.close();
  });

  it('a record timeline keeps its first event and the latest ones, never growing without end', () => {
    const ledger = createLedger(tmp.file('timeline.db'));
    for (let i = 0; i < 1_200; i++) ledger.timeline.add(order('JL-5-A'), 'engine', `event ${i}`, at);
    const count = ledger.db.prepare("SELECT count(*) FROM record_events WHERE record_key = 'JL-5-A'").pluck().get() as number;
    expect(count).toBeLessThanOrEqual(600);
    const all = ledger.db.prepare("SELECT summary FROM record_events WHERE record_key = 'JL-5-A' ORDER BY id").pluck().all() as string[];
    expect(all[0]).toBe('event 0');
    expect(all.at(-1)).toBe('event 1199');
    ledger.close();
  });
});
