import { fakeClock, type FakeClock } from '../../../electron/engine/clock';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import { CallGovernor, createJohnLewisMarketplace, PUBLISHED_MAXIMA } from '../../../electron/engine/connectors/john-lewis';
import { startMarketplaceEmulator, type MarketplaceEmulator, type MarketplaceEmulatorOptions } from '../../../emulators/john-lewis';

export interface Rig {
  clock: FakeClock;
  emulator: MarketplaceEmulator;
  marketplace: ReturnType<typeof createJohnLewisMarketplace>;
  dryRun: { on: boolean };
  /** Runs a connector call to completion, moving the fake clock whenever everything waits on it. */
  drive<T>(work: Promise<T>): Promise<T>;
}

/** Emulator and connector on one fake clock, so governor waits, debits and imports cost no real time. */
export async function startRig(
  options: MarketplaceEmulatorOptions & { limits?: typeof PUBLISHED_MAXIMA; /** The connector's HTTP timeout (default 1 s). */ timeoutSeconds?: number } = {},
): Promise<Rig> {
  const clock = fakeClock();
  const emulator = await startMarketplaceEmulator({ ...options, now: () => clock.now() });
  const dryRun = { on: false };
  const marketplace = createJohnLewisMarketplace({
    http: createHttpClientFactory(),
    clock,
    secrets: { get: async (name) => (name === 'marketplace.apiKey' ? emulator.apiKey : undefined) },
    connection: { baseUrl: emulator.url, shopId: null, timeoutSeconds: options.timeoutSeconds ?? 1 },
    isDryRun: () => dryRun.on,
    random: () => 0.5,
    governor: new CallGovernor(clock, options.limits ?? PUBLISHED_MAXIMA),
  });
  return { clock, emulator, marketplace, dryRun, drive: (work) => drive(clock, work) };
}

/** Every batch an async iterable hands on, as one array (the offer export, read to its end). */
export async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
}

export async function drive<T>(clock: FakeClock, work: Promise<T>, stepMs = 1_000): Promise<T> {
  let settled = false;
  const watched = work.finally(() => (settled = true));
  watched.catch(() => undefined);
  for (let i = 0; !settled && i < 200_000; i++) {
    if (clock.pending() > 0) await clock.advance(stepMs);
    else await new Promise((r) => setTimeout(r, 1));
  }
  return watched;
}

/**
 * Takes emulator orders through the connector to SHIPPED (every line accepted, debited, tracked and confirmed), as a
 * customer's order is before they can return it.
 */
export async function shipOrders(rig: Rig, orders: readonly { orderId: string; lines: readonly { orderLineId: string }[] }[]): Promise<void> {
  for (const o of orders)
    await rig.drive(
      rig.marketplace.orders.accept(
        o.orderId,
        o.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
      ),
    );
  rig.emulator.admin.debitOrders(orders.map((o) => o.orderId));
  for (const o of orders) {
    await rig.drive(rig.marketplace.shipping.setTracking(o.orderId, { carrierCode: 'DPD', trackingNumber: `155${o.orderId.replace(/\D/g, '')}` }));
    await rig.drive(rig.marketplace.shipping.confirm(o.orderId));
  }
}
