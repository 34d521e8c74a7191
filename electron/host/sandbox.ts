import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSapEmulator, DEFAULTS as SAP_DEFAULTS } from '../../emulators/sap-b1';
import { startMarketplaceEmulator } from '../../emulators/john-lewis';
import { HostConfigSchema } from './config';
import { startHost } from './run-host';
import { startDemoCustomers } from './sandbox-customers';
import { startDemoWarehouse } from './sandbox-warehouse';
import { waitForSignal } from './signals';
import { announceConsole } from './console-link';
import type { SecretStore } from '../engine';
import type { SecretName } from '../../shared/domain/settings';
import type { FlowName } from '../../shared/domain/flows';
import type { HostOptions } from './run-host';

export interface SandboxOptions {
  port: number;
  /** Where the sandbox keeps its ledger; a fresh temporary folder by default. */
  dataDir?: string;
  items?: number;
  /** Health check cadence; the demo default keeps the console lively. */
  healthCadenceSeconds?: number;
  /** Run only these flows (tests that watch one flow); every flow by default. */
  onlyFlows?: readonly FlowName[];
  /** How often the demo warehouse and customers act; 15 s by default (tests: less). */
  demoIntervalMs?: number;
  /**
   * A module building the engine's flows (tests: connectors without the marketplace's published call maxima, so a
   * test need not wait out RT11's five minutes); the standard flows by default.
   */
  flows?: HostOptions['flows'];
}

/** The office's wall clock (UK time, as the invoicing flow reads its daily time: decision 0601), HH:MM. */
const officeTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * The demo's daily invoicing time: the first whole minute at least three minutes from now, UK time, so the orders the
 * demo warehouse despatches in its first minutes are invoiced by the schedule itself shortly after the sandbox starts.
 */
export function demoInvoicingTime(now = Date.now()): string {
  return officeTime.format(new Date(Math.ceil((now + 3 * 60_000) / 60_000) * 60_000));
}

/**
 * The console on its built-in sandbox: the SAP B1 Service Layer emulator (HTTPS with its own self-signed
 * certificate, pinned as an operator would) and the marketplace emulator with demo data, the engine on
 * timers, and the console served on loopback. Runs until Ctrl+C. The demo warehouse despatches a few orders
 * (sandbox-warehouse.ts), and the demo customers return or are refunded some of them (sandbox-customers.ts): every
 * SAP document the console shows is made by the engine's own flows.
 */
export async function startSandbox(options: SandboxOptions) {
  const items = options.items ?? 2_000;
  // Four ordinary warehouses, then 05, a quarantine store SAP marks not nettable (the returns warehouse: returned goods
  // wait there to be inspected), and 06, a drop-ship warehouse: neither counts towards stock unless an operator
  // includes it (the SKU breakdown says why).
  const sap = await startSapEmulator({ https: true, seed: { items, warehouses: 4, notNettable: 1, dropShip: 1 } });
  const returnsWarehouse = [...sap.state.warehouses.values()].find((w) => w.Nettable === 'tNO')!.WarehouseCode as string;
  // Customers are debited 30 s after acceptance, so a newcomer sees orders reach SAP within a minute or two. The shop
  // accepts carriers its list does not have, so the Yodel despatch can be mapped as a named carrier from the console.
  const marketplace = await startMarketplaceEmulator({ config: { debitDelayMs: 30_000, alternativeCarriersDisabled: false } });
  // Demo data: every SAP item offered on the marketplace under the same SKU, a few orders waiting.
  const skus = [...sap.state.items.keys()];
  marketplace.admin.seedOffers(skus.map((sku, i) => ({ sku, quantity: (i * 7) % 40, price: `${(9.99 + (i % 50)).toFixed(2)}` })));
  marketplace.admin.createOrders({ count: 12, skus: skus.slice(0, 40), linesPerOrder: 2, quantities: [1, 2, 1] });
  const runs = (flow: FlowName) => !options.onlyFlows || options.onlyFlows.includes(flow);
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'marketplace-console-sandbox-'));
  const config = {
    ...HostConfigSchema.parse({
      console: { port: options.port },
      settings: {
        sap: { baseUrl: sap.url, companyDb: SAP_DEFAULTS.company, userName: SAP_DEFAULTS.user, pinnedCertificate: sap.certificate ?? null },
        marketplace: { baseUrl: marketplace.url },
        flows: {
          health: { enabled: runs('health'), cadenceSeconds: options.healthCadenceSeconds ?? 30 },
          stock: { enabled: runs('stock'), cadenceSeconds: 120 },
          orders: { enabled: runs('orders'), cadenceSeconds: 60 },
          despatch: { enabled: runs('despatch'), cadenceSeconds: 60 },
          // Invoicing checks every half minute for its daily time; returns run every five minutes, the most often the
          // marketplace lets returns be read (RT11): a shorter cadence would only wait for it.
          invoicing: { enabled: runs('invoicing'), cadenceSeconds: 30 },
          returns: { enabled: runs('returns'), cadenceSeconds: 300 },
        },
        // Warehouse 04 is left out by the operator (its stock is promised elsewhere): shown in the breakdown, never counted.
        stock: { warehouses: { include: [], exclude: ['04'] }, buffer: 1 },
        // The demo accepts every order it can map, so a newcomer sees them reach SAP; the default holds short ones for a person.
        // It went live an hour ago, and lines take their stock from warehouses 01–03.
        orders: { acceptancePolicy: 'accept-all', ordersFrom: new Date(Date.now() - 60 * 60_000).toISOString(), warehousePriority: ['01', '02', '03'] },
        // The day's invoices are posted a few minutes after the start; returned goods go into the quarantine store.
        invoicing: { runAt: demoInvoicingTime() },
        returns: { warehouse: returnsWarehouse },
      },
    }),
    dataDir,
  };
  const secrets = sandboxSecrets({ 'sap.password': SAP_DEFAULTS.password, 'marketplace.apiKey': marketplace.apiKey });
  const host = await startHost({ config, serveConsole: true, secrets, ...(options.flows ? { flows: options.flows } : {}) });
  // The setup step an operator does once: create the user-defined fields the orders flow writes.
  await host.engine.command('orders.preflight', { createFields: true, actor: 'sandbox' });
  const warehouse = await startDemoWarehouse(host.engine, sap, options.demoIntervalMs);
  const customers = startDemoCustomers(marketplace, options.demoIntervalMs);
  await host.engine.start();
  return {
    host,
    sap,
    marketplace,
    dataDir,
    async stop() {
      warehouse.stop();
      customers.stop();
      await host.stop();
      await Promise.all([sap.stop(), marketplace.stop()]);
    },
  };
}

export async function runSandbox(options: SandboxOptions): Promise<number> {
  const sandbox = await startSandbox(options);
  console.log(`SAP Business One emulator: ${sandbox.sap.url} (company ${SAP_DEFAULTS.company}, certificate ${sandbox.sap.certificate?.sha256 ?? 'none'})`);
  console.log(`John Lewis Marketplace emulator: ${sandbox.marketplace.url}`);
  console.log(`Ledger and logs: ${sandbox.dataDir}`);
  console.log('');
  const link = announceConsole(sandbox.host.server!, sandbox.dataDir);
  console.log('\nPress Ctrl+C to stop.');
  const lost = await Promise.race([waitForSignal().then(() => null), sandbox.host.engineLost.then((code) => ({ code }))]);
  link.remove();
  if (lost) console.error(`The engine process ended unexpectedly (exit code ${lost.code}); its log: ${sandbox.dataDir}`);
  await sandbox.stop();
  return lost ? 1 : 0;
}

/** The emulators' demo credentials, held in memory only. */
function sandboxSecrets(values: Partial<Record<SecretName, string>>): SecretStore {
  const map = new Map(Object.entries(values) as [SecretName, string][]);
  return {
    get: async (n) => map.get(n),
    set: async (n, v) => void map.set(n, v),
    delete: async (n) => void map.delete(n),
  };
}
