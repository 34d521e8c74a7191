import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCallDeferred, PUBLISHED_MAXIMA } from '../../../electron/engine/connectors/john-lewis';
import { startRig, type Rig } from './support';

const HOUR = 3_600_000;
let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
  rig.emulator.admin.seedOffers([{ sku: 'SOFA-1', quantity: 5 }]);
  rig.emulator.admin.createOrders({ count: 5 });
});
afterAll(async () => {
  await rig.emulator.stop();
});

describe('call-frequency governor', () => {
  it('keeps every operation under its published maximum while every flow is busy for a simulated hour', async () => {
    const m = rig.marketplace;
    const end = rig.clock.now() + HOUR;
    // A wait longer than a run ends the step (CallDeferredError); the flow tries again at a later run.
    const busy = (work: () => Promise<unknown>) => async () => {
      while (rig.clock.now() < end) {
        try {
          await work();
        } catch (e) {
          if (!isCallDeferred(e)) throw e;
          await rig.clock.sleep(e.notBefore - rig.clock.now());
        }
      }
    };
    const flows = [
      busy(() => m.orders.list({ since: null, taxMode: 'TAX_INCLUDED' })),
      busy(() => m.orders.list({ since: null, states: ['shipping'], taxMode: 'TAX_INCLUDED' })),
      busy(async () => m.stock.awaitImport(await m.stock.push([{ sku: 'SOFA-1', quantity: 4 }]))),
      busy(async () => m.stock.awaitImport(await m.stock.push([{ sku: 'SOFA-1', quantity: 3 }]))),
      busy(() => m.finance.transactions()),
      busy(() => m.finance.transactions({ limit: 10 })),
      busy(() => m.returns.list()),
      // Asked every minute: once-a-day reads are answered from the day's read, never by a second call.
      busy(async () => {
        await m.shipping.carriers({ refresh: true });
        await rig.clock.sleep(60_000);
      }),
      busy(async () => {
        await m.shop.info({ refresh: true });
        await rig.clock.sleep(60_000);
      }),
    ];
    await rig.drive(Promise.all(flows.map((f) => f())));

    const calls = rig.emulator.admin.calls();
    const byOp = new Map<string, number[]>();
    for (const c of calls) if (c.operation) byOp.set(c.operation, [...(byOp.get(c.operation) ?? []), c.atMs]);
    for (const [op, windows] of Object.entries(PUBLISHED_MAXIMA)) {
      const times = byOp.get(op) ?? [];
      for (const w of windows) {
        for (const t of times) expect(times.filter((x) => x > t - w.windowMs && x <= t).length, `${op} in ${w.windowMs} ms`).toBeLessThanOrEqual(w.limit);
      }
    }
    // Busy means close to the maxima, not idle (counted within the hour; a flow's last wait may run past it).
    for (const [op, times] of byOp)
      byOp.set(
        op,
        times.filter((t) => t < end),
      );
    expect(byOp.get('OR11')!.length).toBeGreaterThanOrEqual(58);
    expect(byOp.get('STO01')!.length).toBeGreaterThanOrEqual(58);
    expect(byOp.get('TL02')!.length).toBeGreaterThanOrEqual(59);
    expect(byOp.get('SH21')!.length).toBe(1);
    expect(byOp.get('A01')!.length).toBe(1);
    expect(byOp.get('RT11')!.length).toBeGreaterThanOrEqual(12);
    expect(calls.every((c) => c.status !== 429)).toBe(true);
  });
});
