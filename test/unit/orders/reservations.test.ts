import { afterAll, describe, expect, it } from 'vitest';
import { createLedger } from '../../../electron/engine/ledger';
import { reservations } from '../../../electron/engine/flows/orders/reservations';
import { tempDir } from '../../support/ports';

const tmp = tempDir('reservations-test-');
afterAll(() => tmp.cleanup());

describe('reservations: units the marketplace counted down that SAP has not committed', () => {
  it('counts undecided and accepted orders not yet in SAP, never lines the marketplace refused, cancelled or closed', () => {
    const ledger = createLedger(tmp.file('r.db'));
    const at = '2026-11-26T09:00:00.000Z';
    const order = ledger.db.prepare(
      "INSERT INTO marketplace_orders (order_id, marketplace_state, stage, payload, first_seen_at, updated_at) VALUES (?, 'shipping', ?, '{}', ?, ?)",
    );
    const line = ledger.db.prepare('INSERT INTO marketplace_order_lines (order_id, order_line_id, sku, quantity, state) VALUES (?, ?, ?, ?, ?)');
    order.run('A', 'accepted', at, at);
    line.run('A', 'A-1', 'JL-1', 2, 'shipping');
    order.run('B', 'awaiting-acceptance', at, at);
    line.run('B', 'B-1', 'JL-1', 3, 'awaiting-acceptance');
    line.run('B', 'B-2', 'JL-1', 4, 'refused');
    order.run('C', 'ready', at, at);
    line.run('C', 'C-1', 'JL-1', 5, 'cancelled');
    line.run('C', 'C-2', 'JL-1', 6, 'closed');

    const reserved = reservations(ledger.db);
    expect(reserved.forStock('JL-1', at)).toBe(2 + 3);
    // Acceptance leaves room only for orders accepted before it; undecided ones do not count.
    expect(reserved.forAcceptance('JL-1', at, 'B')).toBe(2);
    ledger.close();
  });

  it('gives every SKU’s reservations at once, the same as SKU by SKU, and only SKUs with units reserved', () => {
    const ledger = createLedger(tmp.file('every-sku.db'));
    const readAt = '2026-11-26T09:00:00.000Z';
    const order = ledger.db.prepare(
      "INSERT INTO marketplace_orders (order_id, marketplace_state, stage, payload, first_seen_at, updated_at, posted_at) VALUES (?, 'shipping', ?, '{}', ?, ?, ?)",
    );
    const line = ledger.db.prepare('INSERT INTO marketplace_order_lines (order_id, order_line_id, sku, quantity, state) VALUES (?, ?, ?, ?, ?)');
    order.run('A', 'accepted', readAt, readAt, null);
    line.run('A', 'A-1', 'JL-1', 2, 'shipping');
    line.run('A', 'A-2', 'JL-2', 1, 'shipping');
    order.run('B', 'awaiting-acceptance', readAt, readAt, null);
    line.run('B', 'B-1', 'JL-1', 3, 'awaiting-acceptance');
    line.run('B', 'B-2', 'JL-3', 4, 'refused');
    // Posted to SAP after the read (SAP had not committed it then), and before it (SAP's figure has it).
    order.run('C', 'posted', readAt, readAt, '2026-11-26T09:05:00.000Z');
    line.run('C', 'C-1', 'JL-2', 5, 'shipping');
    order.run('D', 'posted', readAt, readAt, '2026-11-26T08:55:00.000Z');
    line.run('D', 'D-1', 'JL-4', 6, 'shipping');

    const reserved = reservations(ledger.db);
    const every = reserved.forStockBySku(readAt);
    expect(Object.fromEntries(every)).toEqual({ 'JL-1': 5, 'JL-2': 6 });
    for (const sku of ['JL-1', 'JL-2', 'JL-3', 'JL-4']) expect(every.get(sku) ?? 0).toBe(reserved.forStock(sku, readAt));
    ledger.close();
  });
});
