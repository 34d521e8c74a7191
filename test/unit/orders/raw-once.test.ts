import { afterAll, describe, expect, it } from 'vitest';
import { createLedger } from '../../../electron/engine/ledger';
import { openLedger } from '../../../electron/engine/ledger/db';
import { MIGRATIONS } from '../../../electron/engine/ledger/migrations';
import { OrdersRepository } from '../../../electron/engine/flows/orders/repository';
import { toOrder } from '../../../electron/engine/connectors/john-lewis/order-map';
import { tempDir } from '../../support/ports';

const tmp = tempDir('raw-once-test-');
afterAll(() => tmp.cleanup());

/** An order as the marketplace lists it, three lines with long titles and a field the connector does not know. */
function marketplaceOrder(id: string) {
  return toOrder({
    order_id: id,
    commercial_id: `C-${id}`,
    order_state: 'SHIPPING',
    order_tax_mode: 'TAX_INCLUDED',
    currency_iso_code: 'GBP',
    price: 59.97,
    total_price: 64.96,
    shipping_price: 4.99,
    created_date: '2026-11-28T09:00:00Z',
    last_updated_date: '2026-11-28T09:05:00Z',
    customer: {
      firstname: 'Ada',
      lastname: 'Lovelace',
      shipping_address: { street_1: '1 Oxford Street', city: 'London', zip_code: 'W1', country_iso_code: 'GBR' },
    },
    a_field_added_later: { note: 'kept as sent' },
    order_lines: [1, 2, 3].map((n) => ({
      order_line_id: `${id}-${n}`,
      order_line_state: 'SHIPPING',
      offer_sku: `SKU-${n}`,
      product_title: `Linen duvet cover, king size, natural, line ${n} `.repeat(8),
      quantity: 1,
      price_unit: 19.99,
      price: 19.99,
      taxes: [{ code: 'VAT', rate: 20, amount: 3.33 }],
      line_field_added_later: `only on line ${n}`,
    })),
  });
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('an order’s marketplace record, stored once', () => {
  it('keeps each line’s record once, and reads the order back as the marketplace sent it', () => {
    const ledger = createLedger(tmp.file('once.db'));
    const repo = new OrdersRepository(ledger.db);
    const order = marketplaceOrder('JL-1');
    repo.upsert(order, 'C-JL-1', 'ready', new Date('2026-11-28T09:06:00Z'));
    const payload = ledger.db.prepare("SELECT payload FROM marketplace_orders WHERE order_id = 'JL-1'").pluck().get() as string;
    expect(occurrences(payload, 'only on line 2')).toBe(1);
    expect(payload.length).toBeLessThan(JSON.stringify(order).length * 0.75);
    const read = repo.order('JL-1')!;
    expect(read.lines.map((l) => l.raw)).toEqual(order.raw.order_lines);
    expect(read.raw).toEqual(order.raw);
    expect(read.lines[0]!.unitPrice!.toFixed(2)).toBe('19.99');
    expect(JSON.parse(JSON.stringify(read))).toEqual(JSON.parse(JSON.stringify(order)));
    ledger.close();
  });

  it('a ledger written before keeps its orders readable, each line’s record then stored once', () => {
    const file = tmp.file('migrated.db');
    const before = openLedger(
      file,
      MIGRATIONS.filter((m) => m.version <= 12),
    );
    const order = marketplaceOrder('JL-2');
    // As the orders repository stored it until now: the whole order, each line with its own record.
    before
      .prepare(
        "INSERT INTO marketplace_orders (order_id, marketplace_state, state_code, stage, payload, first_seen_at, updated_at) VALUES ('JL-2', 'shipping', 'SHIPPING', 'posted', ?, '2026-11-28', '2026-11-28')",
      )
      .run(JSON.stringify(order));
    const oldBytes = before.prepare('SELECT length(payload) FROM marketplace_orders').pluck().get() as number;
    before.close();

    const ledger = createLedger(file);
    const payload = ledger.db.prepare('SELECT payload FROM marketplace_orders').pluck().get() as string;
    expect(occurrences(payload, 'only on line 3')).toBe(1);
    expect(payload.length).toBeLessThan(oldBytes * 0.75);
    const read = new OrdersRepository(ledger.db).order('JL-2')!;
    expect(JSON.parse(JSON.stringify(read))).toEqual(JSON.parse(JSON.stringify(order)));
    ledger.close();
  });
});
