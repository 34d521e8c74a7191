import { performance } from 'node:perf_hooks';
import { fakeClock, type FakeClock } from '../electron/engine/clock';
import { createEngine } from '../electron/engine/engine';
import { createConnections } from '../electron/engine/connectors/connections';
import { createSapConnector } from '../electron/engine/connectors/sap-b1';
import { stockFlow } from '../electron/engine/flows/stock';
import { reservations } from '../electron/engine/flows/orders/reservations';
import { readSapStock } from '../electron/engine/flows/stock/read';
import { StockRepository } from '../electron/engine/flows/stock/repository';
import { openLedger } from '../electron/engine/ledger/db';
import { memoryLogger } from '../electron/engine/logging';
import { createHttpClientFactory } from '../electron/engine/net/http-client';
import type { EnginePorts, SettingsStore } from '../electron/engine/ports';
import { startSapEmulator, DEFAULTS as SAP_DEFAULTS, type SapEmulator } from '../emulators/sap-b1';
import { startMarketplaceEmulator } from '../emulators/john-lewis';
import { SettingsSchema, applySettingsPatch, type Settings } from '../shared/domain/settings';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asSap } from '../test/support/sap';

// `npm run bench -- stock`: issue 5's stock benchmark. SAP answers every request 20 ms late (emulator latency
// fault); the marketplace emulator runs on the engine's fake clock so governor waits and import polling cost no
// wall time. Wall times below are real (performance.now()).

const SKUS = 20_000;
const WAREHOUSES = 4;
const SAMPLE = 2_000;
const LATENCY_MS = 20;

/** Runs work to completion, moving the fake clock only when everything waits on it. */
async function drive<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let settled = false;
  const watched = work.finally(() => (settled = true));
  watched.catch(() => undefined);
  for (let i = 0; !settled && i < 1_000_000; i++) {
    if (clock.pending() > 0) await clock.advance(1_000);
    else await new Promise((r) => setTimeout(r, 1));
  }
  return watched;
}

const serviceCalls = (sap: SapEmulator) => sap.calls().filter((c) => c.path.startsWith('/b1s/')).length;

function sapConnector(sap: SapEmulator, clock: FakeClock) {
  return createSapConnector({
    connection: {
      baseUrl: sap.url,
      companyDb: SAP_DEFAULTS.company,
      userName: SAP_DEFAULTS.user,
      serviceLayerVersion: 'v2',
      pinnedCertificate: null,
      maxConcurrency: 4,
      timeoutSeconds: 60,
    },
    password: async () => SAP_DEFAULTS.password,
    http: createHttpClientFactory(),
    clock,
    logger: memoryLogger(),
    isDryRun: () => false,
  });
}

export async function run(): Promise<void> {
  const clock = fakeClock();
  const latency = [{ kind: 'latency' as const, ms: LATENCY_MS }];
  const sap = await startSapEmulator({ seed: { items: SKUS, warehouses: WAREHOUSES }, faults: latency });
  const jl = await startMarketplaceEmulator({ now: () => clock.now(), config: { importWaitMs: 500, importRunMs: 500 } });
  jl.admin.reset();
  const skus = [...sap.state.items.keys()];
  jl.admin.seedOffers(skus.map((sku) => ({ sku, quantity: 0 })));
  const dir = mkdtempSync(path.join(tmpdir(), 'stock-bench-'));
  let settings: Settings = SettingsSchema.parse({
    sap: { baseUrl: sap.url, companyDb: SAP_DEFAULTS.company, userName: SAP_DEFAULTS.user },
    marketplace: { baseUrl: jl.url },
    flows: { stock: { enabled: true, cadenceSeconds: 120 } },
    stock: { warehouses: { include: ['01', '02', '03', '04'], exclude: [] } },
  });
  const settingsStore: SettingsStore = { get: () => settings, update: async (p) => (settings = applySettingsPatch(settings, p)) };
  const secrets = new Map([
    ['sap.password', SAP_DEFAULTS.password],
    ['marketplace.apiKey', jl.apiKey],
  ]);
  const ports: EnginePorts = {
    clock,
    logger: memoryLogger(),
    settings: settingsStore,
    secrets: { get: async (n) => secrets.get(n), set: async () => undefined, delete: async () => undefined },
    notifier: { notify: () => undefined },
    http: createHttpClientFactory(),
    random: () => 0.5,
  };
  const engine = createEngine(ports, {
    ledgerFile: path.join(dir, 'ledger.db'),
    // As standardFlows wires it: units on marketplace orders not yet in SAP are looked up for every SKU.
    buildFlows: (deps) => [
      stockFlow({
        connections: createConnections(deps),
        ledger: deps.ledger,
        settings: deps.settings,
        clock,
        reserved: reservations(deps.ledger.db).forStockBySku,
      }),
    ],
  });

  // 1. The first cycle: every SKU read, computed and sent.
  let t = performance.now();
  const [first] = await drive(clock, engine.runOnce());
  const firstCycleMs = performance.now() - t;
  const firstCycleSapRequests = serviceCalls(sap);
  console.log(
    `first cycle: ${JSON.stringify(first!.counts)} in ${firstCycleMs.toFixed(0)} ms, ${firstCycleSapRequests} SAP requests (login, stock query, pages, document watermarks)`,
  );

  // 2. A full read of 20,000 SKUs × 4 warehouses on its own, from a fresh session.
  sap.clearCalls();
  const reader = sapConnector(sap, clock);
  const scratch = openLedger(path.join(dir, 'scratch.db'));
  const staging = new StockRepository(scratch);
  t = performance.now();
  const read = await drive(clock, readSapStock(asSap(reader), ['01', '02', '03', '04'], { repo: staging }));
  const fullReadMs = performance.now() - t;
  const fullReadRequests = serviceCalls(sap);
  console.log(`full read: ${staging.stagedItems()} SKUs, ${read.answered.size} warehouses, ${fullReadRequests} requests, ${fullReadMs.toFixed(0)} ms`);

  // 3. A delta cycle after 1 % of the SKUs changed in SAP.
  for (let i = 0; i < SKUS / 100; i++) sap.setStock(skus[i * 100]!, '02', 500 + i);
  const importsBefore = jl.admin.calls().filter((c) => c.operation === 'STO01').length;
  t = performance.now();
  const [delta] = await drive(clock, engine.runOnce());
  const deltaMs = performance.now() - t;
  const deltaStockImports = jl.admin.calls().filter((c) => c.operation === 'STO01').length - importsBefore;
  const shown = jl.admin.offerQuantities();
  const wrong = skus
    .filter((_, i) => i % 100 === 0)
    .filter((sku) => engine.ledger.db.prepare('SELECT available FROM stock_figures WHERE sku = ?').pluck().get(sku) !== shown[sku]).length;
  console.log(
    `delta cycle: ${JSON.stringify(delta!.counts)} in ${deltaMs.toFixed(0)} ms, ${deltaStockImports} STO01, ${wrong} changed SKUs not yet right on the marketplace`,
  );
  await drive(clock, engine.stop(0));
  await Promise.all([sap.stop(), jl.stop()]);

  // 4. A 2,000-SKU sample: one request per item (the naive reader) against the flow's read, same latency.
  const sample = await startSapEmulator({ seed: { items: SAMPLE, warehouses: WAREHOUSES }, faults: latency });
  const sampleSap = sapConnector(sample, clock);
  await drive(clock, sampleSap.login());
  sample.clearCalls();
  t = performance.now();
  for (const code of sample.state.itemOrder) await drive(clock, sampleSap.get(`Items`, code));
  const naiveSampleMs = performance.now() - t;
  const naiveSampleRequests = serviceCalls(sample);
  await drive(clock, sampleSap.ensureStockQuery());
  t = performance.now();
  await drive(clock, readSapStock(asSap(sampleSap), ['01', '02', '03', '04'], { repo: staging }));
  const flowSampleMs = performance.now() - t;
  console.log(
    `sample: naive ${naiveSampleRequests} requests in ${naiveSampleMs.toFixed(0)} ms; flow read ${staging.stagedItems()} SKUs in ${flowSampleMs.toFixed(0)} ms`,
  );
  await sample.stop();

  // 5. The fallback read where SQLQueries cannot be used (a Service Layer before 10.0 FP 2011): Items with their
  // warehouse rows, 20,000 × 4, same latency. The first read learns it from SAP's answer; the figure is a read once
  // that answer is remembered, from a fresh session like the full read above.
  const older = await startSapEmulator({ seed: { items: SKUS, warehouses: WAREHOUSES }, faults: latency, sqlQueries: 'absent' });
  const memory = openLedger(path.join(dir, 'fallback.db'));
  const readOptions = { repo: new StockRepository(memory), identity: older.url, now: new Date(clock.now()), sapWarehouseCount: WAREHOUSES };
  const learnt = await drive(clock, readSapStock(asSap(sapConnector(older, clock)), ['01', '02', '03', '04'], readOptions));
  const fallbackFirstReadRequests = serviceCalls(older);
  older.clearCalls();
  t = performance.now();
  const fallback = await drive(clock, readSapStock(asSap(sapConnector(older, clock)), ['01', '02', '03', '04'], readOptions));
  const fallbackReadMs = performance.now() - t;
  const fallbackReadRequests = serviceCalls(older);
  console.log(
    `fallback read (no SQLQueries): ${readOptions.repo.stagedItems()} SKUs, ${fallback.rows} rows, ${fallbackReadRequests} requests (login + Items pages), ${fallbackReadMs.toFixed(0)} ms; ` +
      `the first one, before SAP's answer was remembered (${learnt.fallback?.cause}: ${learnt.fallback?.sapMessage}): ${fallbackFirstReadRequests} requests`,
  );
  memory.close();
  scratch.close();
  await older.stop();
  rmSync(dir, { recursive: true, force: true });

  // Engine, both emulators and the benchmark share this process: the figure is an upper bound for the engine.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    JSON.stringify({
      skus: SKUS,
      warehouses: WAREHOUSES,
      fullReadRequests,
      fullReadMs: Math.round(fullReadMs),
      sampleSkus: SAMPLE,
      naiveSampleRequests,
      naiveSampleMs: Math.round(naiveSampleMs),
      flowSampleMs: Math.round(flowSampleMs),
      ratio: Math.round((naiveSampleMs / flowSampleMs) * 10) / 10,
      deltaStockImports,
      fallbackReadRequests,
      fallbackReadMs: Math.round(fallbackReadMs),
      peakRssMb,
    }),
  );
}
