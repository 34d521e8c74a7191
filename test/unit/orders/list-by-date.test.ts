import { afterAll, describe, expect, it } from 'vitest';
import { createLedger } from '../../../electron/engine/ledger';
import { OrdersRepository } from '../../../electron/engine/flows/orders/repository';
import { toOrder } from '../../../electron/engine/connectors/john-lewis/order-map';
import { tempDir } from '../../support/ports';
import { ukDayStart, nextDay } from '../../../shared/domain/uk-day';

const tmp = tempDir('orders-by-date-');
afterAll(() => tmp.cleanup());

const order = (id: string, created: string) =>
  toOrder({
    order_id: id,
    order_state: 'SHIPPING',
    currency_iso_code: 'GBP',
    created_date: created,
    last_updated_date: created,
    order_lines: [{ order_line_id: `${id}-1`, order_line_state: 'SHIPPING', offer_sku: 'SKU-1', quantity: 1, price_unit: 9.99, price: 9.99 }],
  });

describe('the orders list by the day they were created (UK days)', () => {
  it('takes a UK day from its midnight, in summer time too, and "older than" as an instant', () => {
    const repo = new OrdersRepository(createLedger(tmp.file('ledger.db')).db);
    const at = new Date('2026-11-30T12:00:00Z');
    // 23:30 UTC on 30 June is 00:30 on 1 July in London: a 1 July order.
    for (const [id, created] of [
      ['A', '2026-06-30T22:30:00Z'],
      ['B', '2026-06-30T23:30:00Z'],
      ['C', '2026-07-01T22:59:59.500Z'],
      ['D', '2026-07-02T08:00:00.000+01:00'],
    ] as const)
      repo.upsert(order(id, created), id, 'ready', at);
    const ids = (f: { createdFrom?: string; createdBefore?: string }) =>
      repo
        .list({ ...f, limit: 10, offset: 0 })
        .rows.map((r) => r.orderId)
        .sort();
    expect(ukDayStart('2026-07-01')).toBe('2026-06-30T23:00:00.000Z');
    expect(ukDayStart('2026-11-30')).toBe('2026-11-30T00:00:00.000Z');
    expect(ids({ createdFrom: ukDayStart('2026-07-01'), createdBefore: ukDayStart(nextDay('2026-07-01')) })).toEqual(['B', 'C']);
    // Dates written with another offset compare as the instants they are.
    expect(ids({ createdBefore: '2026-07-02T07:00:00.001Z' })).toEqual(['A', 'B', 'C', 'D']);
    expect(ids({ createdBefore: '2026-07-02T07:00:00Z' })).toEqual(['A', 'B', 'C']);
  });
});
