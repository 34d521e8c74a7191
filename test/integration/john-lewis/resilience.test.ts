import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import { isMarketplaceError } from '../../../electron/engine/connectors/john-lewis';
import { startRig, type Rig } from './support';

let rig: Rig;
beforeAll(async () => {
  // No client-side governor here: these tests make the emulator enforce the limits and inject faults.
  rig = await startRig({ limits: {} });
});
afterAll(async () => {
  await rig.emulator.stop();
});
beforeEach(async () => {
  await rig.clock.advance(24 * 3_600_000);
  rig.emulator.admin.reset();
  rig.emulator.admin.seedOffers([{ sku: 'SOFA-1', quantity: 5 }]);
});

describe('429, faults and secrets', () => {
  it('honours 429 Retry-After and then succeeds', async () => {
    rig.emulator.admin.configure({ rateLimits: true });
    await rig.drive(rig.marketplace.orders.list({ since: null, taxMode: 'TAX_INCLUDED' }));
    await rig.drive(rig.marketplace.orders.list({ since: null, taxMode: 'TAX_INCLUDED' }));
    const calls = rig.emulator.admin.calls();
    expect(calls.map((c) => c.status)).toEqual([200, 429, 200]);
    expect(calls[2]!.atMs - calls[1]!.atMs).toBeGreaterThanOrEqual(60_000 - (calls[1]!.atMs - calls[0]!.atMs));
  });

  it('retries a 5xx read with backoff', async () => {
    rig.emulator.admin.setFaults({ failNext: 2, failStatus: 503 });
    const page = await rig.drive(rig.marketplace.stock.offers());
    expect(page.items).toHaveLength(1);
    expect(rig.emulator.admin.calls().map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('retries a read that timed out', async () => {
    rig.emulator.admin.setFaults({ hangNext: 1 });
    const page = await rig.drive(rig.marketplace.stock.offers());
    expect(page.items).toHaveLength(1);
  });

  it('never sends a refund twice after a 5xx, and reports the marketplace message without the key', async () => {
    const [order] = rig.emulator.admin.createOrders({ count: 1 });
    await rig.drive(
      rig.marketplace.orders.accept(
        order!.orderId,
        order!.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
      ),
    );
    rig.emulator.admin.debitOrders();
    rig.emulator.admin.clearCalls();
    rig.emulator.admin.setFaults({ failNext: 1, operation: 'OR28' });
    const error = await rig
      .drive(
        rig.marketplace.orders.refund({
          taxMode: 'TAX_INCLUDED',
          refunds: [{ orderLineId: order!.lines[0]!.orderLineId, amount: new Decimal('1.00'), shippingAmount: new Decimal(0), reasonCode: '20' }],
        }),
      )
      .catch((e: unknown) => e);
    expect(isMarketplaceError(error) && error.status).toBe(500);
    expect(rig.emulator.admin.calls().filter((c) => c.operation === 'OR28')).toHaveLength(1);
    expect((error as Error).message).toMatch(/injected fault/);
    expect(JSON.stringify(error)).not.toContain(rig.emulator.apiKey);
    expect(String((error as Error).stack)).not.toContain(rig.emulator.apiKey);
  });

  it('reports an unreachable marketplace as unhealthy, without the key', async () => {
    rig.emulator.admin.setFaults({ failNext: 1, failStatus: 500, operation: 'V01' });
    const health = await rig.drive(rig.marketplace.shop.health());
    expect(health.ok).toBe(false);
    expect(JSON.stringify(health)).not.toContain(rig.emulator.apiKey);
  });
});
