import { createEngine, type Engine } from '../../../electron/engine/engine';
import { createConnections } from '../../../electron/engine/connectors/connections';
import { stockFlow, type StockFlow } from '../../../electron/engine/flows/stock';
import { startSapEmulator, DEFAULTS as SAP_DEFAULTS, type SapEmulator, type SqlQueryAccess } from '../../../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../../emulators/john-lewis';
import type { Settings } from '../../../shared/domain/settings';
import type { StockSettingsPatch } from '../../../shared/domain/stock';
import { tempDir, testPorts, type TestPorts } from '../../support/ports';
import { drive } from '../john-lewis/support';

export interface StockRig {
  ports: TestPorts;
  engine: Engine;
  flow: StockFlow;
  sap: SapEmulator;
  jl: MarketplaceEmulator;
  /** Runs one stock cycle to its end, moving the fake clock while it waits on the marketplace. */
  cycle(): Promise<Awaited<ReturnType<Engine['runOnce']>>[number]>;
  /** What the marketplace shows now for a SKU. */
  onMarketplace(sku: string): number | undefined;
  stop(): Promise<void>;
}

/**
 * Both emulators over HTTP and an engine running only the stock flow, on one fake clock. The marketplace
 * offers the first `offered` SAP items under the same SKU, each showing `startQuantity`.
 */
export async function startStockRig(
  options: {
    items?: number;
    warehouses?: number;
    offered?: number;
    startQuantity?: number;
    stock?: StockSettingsPatch;
    dryRun?: boolean;
    batchEvery?: number;
    /** Warehouses SAP marks not nettable, then drop-ship, numbered after the ordinary ones (default none). */
    notNettable?: number;
    dropShip?: number;
    /** SQLQueries on the emulated Service Layer (default available). */
    sqlQueries?: SqlQueryAccess;
    /** SKUs per step of a cycle (default the flow's own). */
    chunkSkus?: number;
  } = {},
): Promise<StockRig> {
  const tmp = tempDir('stock-test-');
  const items = options.items ?? 12;
  const probe = testPorts();
  const clock = probe.clock;
  const sap = await startSapEmulator({
    seed: {
      items,
      warehouses: options.warehouses ?? 4,
      notNettable: options.notNettable ?? 0,
      dropShip: options.dropShip ?? 0,
      batchEvery: options.batchEvery ?? 5,
      serialEvery: 0,
    },
    sqlQueries: options.sqlQueries ?? 'available',
    now: () => clock.now(),
  });
  const jl = await startMarketplaceEmulator({ now: () => clock.now() });
  jl.admin.reset();
  const skus = [...sap.state.items.keys()].slice(0, options.offered ?? items);
  jl.admin.seedOffers(skus.map((sku) => ({ sku, quantity: options.startQuantity ?? 0 })));
  const ports: TestPorts = {
    ...testPorts({
      dryRun: options.dryRun ?? false,
      sap: { baseUrl: sap.url, companyDb: SAP_DEFAULTS.company, userName: SAP_DEFAULTS.user },
      marketplace: { baseUrl: jl.url },
      flows: { stock: { enabled: true, cadenceSeconds: 120 } },
      stock: options.stock,
    } as Partial<Settings>),
    clock,
  };
  await ports.secrets.set('sap.password', SAP_DEFAULTS.password);
  await ports.secrets.set('marketplace.apiKey', jl.apiKey);
  let flow!: StockFlow;
  const engine = createEngine(ports, {
    ledgerFile: tmp.file('ledger.db'),
    buildFlows: (deps) => [
      (flow = stockFlow({
        connections: createConnections(deps),
        ledger: deps.ledger,
        settings: deps.settings,
        clock: deps.ports.clock,
        ...(options.chunkSkus ? { chunkSkus: options.chunkSkus } : {}),
      })),
    ],
  });
  return {
    ports,
    engine,
    get flow() {
      return flow;
    },
    sap,
    jl,
    cycle: async () => (await drive(clock, engine.runOnce(), 5_000))[0]!,
    onMarketplace: (sku) => jl.admin.offerQuantities()[sku],
    async stop() {
      await drive(clock, engine.stop(0), 5_000);
      await Promise.all([sap.stop(), jl.stop()]);
      tmp.cleanup();
    },
  };
}

/** Σ(InStock − Committed) over the given warehouses, straight from the emulator's company. */
export function sapAvailable(sap: SapEmulator, itemCode: string, warehouses: readonly string[]): number {
  const item = sap.state.items.get(itemCode)!;
  return item.ItemWarehouseInfoCollection.filter((w) => warehouses.includes(w.WarehouseCode)).reduce((n, w) => n + w.InStock - w.Committed, 0);
}
