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
});
