import { startSapEmulator, type SapEmulator } from '../../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../emulators/john-lewis';
import { startKillingProxy, type KillingProxy } from './proxy';
import { SKUS, type TrialPlan } from './plan';

/** The SAP warehouse returned goods go into: not nettable, so it never counts towards stock. */
export const RETURNS_WAREHOUSE = '03';
/** Units held back from the marketplace on every SKU (the stock settings' buffer). */
export const STOCK_BUFFER = 1;
const PRICES = ['19.99', '9.99', '24.50', '3.33'];

export interface ChaosWorld {
  sap: SapEmulator;
  jl: MarketplaceEmulator;
  /** What the engine talks to: a proxy in front of each emulator, which can kill the engine mid-write. */
  sapProxy: KillingProxy;
  jlProxy: KillingProxy;
  /** Time for everyone (SAP, the marketplace, the engine's machine): real time, moved on while a trial settles. */
  now(): number;
  /** Moves everyone's time on (backoffs, settle times and retries fall due); returns the offset now. */
  advance(ms: number): number;
  readonly offsetMs: number;
  /** Back to the day's start: empty SAP company and shop (their own reset), the trial's stock and offers. */
  resetFor(plan: TrialPlan): void;
  stop(): Promise<void>;
}

/** Both emulators, started once per run and reset between trials. */
export async function startChaosWorld(): Promise<ChaosWorld> {
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  // Four plain items (no batches or serials), two counted warehouses (01, 02) and the returns warehouse (03).
  const sap = await startSapEmulator({ seed: { items: SKUS.length, warehouses: 2, notNettable: 1, batchEvery: 0, serialEvery: 0 }, now });
  const jl = await startMarketplaceEmulator({
    // Customers are debited, and refunds paid back, when the trial's people say so; stock imports take a moment.
    config: { debitDelayMs: null, refundDelayMs: null, importWaitMs: 0, importRunMs: 0, exportReadyMs: 0 },
    now,
  });
  const sapProxy = await startKillingProxy(sap.url);
  const jlProxy = await startKillingProxy(jl.url);
  return {
    sap,
    jl,
    sapProxy,
    jlProxy,
    now,
    advance: (ms) => (offsetMs += Math.max(0, ms)),
    get offsetMs() {
      return offsetMs;
    },
    resetFor(plan) {
      sapProxy.disarm();
      jlProxy.disarm();
      sap.reset();
      jl.admin.reset();
      for (const s of plan.stock) {
        sap.setStock(s.sku, '01', s['01']);
        sap.setStock(s.sku, '02', s['02']);
        sap.setStock(s.sku, RETURNS_WAREHOUSE, 0);
      }
      // The offers exist on the marketplace with a figure nobody has set yet: the stock flow must set it.
      jl.admin.seedOffers(SKUS.map((sku, i) => ({ sku, quantity: 0, price: PRICES[i]!, taxes: ['standard'] })));
    },
    async stop() {
      await Promise.all([sapProxy.stop(), jlProxy.stop(), sap.stop(), jl.stop()]);
    },
  };
}
