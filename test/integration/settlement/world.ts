import type { Engine } from '../../../electron/engine/engine';
import { startReturnsWorld, type ReturnsWorld } from '../returns/world';
import { createSettlementEngine, type SettlementEngineOptions } from './engine-factory';

export { SKUS } from '../returns/world';

export interface SettlementWorld extends ReturnsWorld {
  /** A finance console on the same SAP company and marketplace shop, with its own ledger. */
  financeEngine(options: Omit<SettlementEngineOptions, 'sapUrl' | 'marketplaceUrl' | 'marketplaceKey'>): Engine;
}

/**
 * Both emulators, a warehouse console (the returns world's engine: orders, despatch, invoicing, returns) that puts
 * orders, invoices and credit memos into SAP, and finance consoles that reconcile the marketplace's payouts.
 */
export async function startSettlementWorld(options: Parameters<typeof startReturnsWorld>[0] = {}): Promise<SettlementWorld> {
  const world = await startReturnsWorld(options);
  return {
    ...world,
    financeEngine: (o) => createSettlementEngine({ ...o, sapUrl: world.sap.url, marketplaceUrl: world.jl.url, marketplaceKey: world.jl.apiKey }),
  };
}

/** Runs the settlement flow once and waits for it. */
export async function reconcile(engine: Engine): Promise<void> {
  engine.runNow('settlement');
  await engine.idle();
}
