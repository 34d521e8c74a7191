/**
 * The emulators for `npm run bench -- responsiveness`, in a process of their own so their work (answering 100,000
 * SKUs, taking the stock file) is not counted as lag of the process that serves the console. Started with fork();
 * reports its URLs over the IPC channel and stops when asked or when its parent goes away.
 */
import { startSapEmulator, DEFAULTS as SAP_DEFAULTS } from '../emulators/sap-b1';
import { startMarketplaceEmulator } from '../emulators/john-lewis';

export interface BenchEmulators {
  sapUrl: string;
  marketplaceUrl: string;
  apiKey: string;
  company: string;
  user: string;
  password: string;
  skus: number;
  orders: number;
}

const skus = Number(process.env.BENCH_SKUS ?? 100_000);
const orders = Number(process.env.BENCH_ORDERS ?? 200);
const sap = await startSapEmulator({ seed: { items: skus, warehouses: 4 } });
// Orders are debited as soon as they are accepted, so the intake posts them to SAP in its next run; stock imports run at once.
const marketplace = await startMarketplaceEmulator({ config: { debitDelayMs: 0, importWaitMs: 200, importRunMs: 500, importLinesPerSecond: 1_000_000 } });
const items = [...sap.state.items.keys()];
marketplace.admin.seedOffers(items.map((sku, i) => ({ sku, quantity: i % 7, price: `${(9.99 + (i % 50)).toFixed(2)}` })));
marketplace.admin.createOrders({ count: orders, skus: items.slice(0, 500), linesPerOrder: 2, quantities: [1, 2, 1] });

const stop = () => void Promise.all([sap.stop(), marketplace.stop()]).then(() => process.exit(0));
process.on('message', (m) => (m === 'stop' ? stop() : undefined));
process.on('disconnect', stop);
process.on('SIGINT', () => undefined);
const ready: BenchEmulators = {
  sapUrl: sap.url,
  marketplaceUrl: marketplace.url,
  apiKey: marketplace.apiKey,
  company: SAP_DEFAULTS.company,
  user: SAP_DEFAULTS.user,
  password: SAP_DEFAULTS.password,
  skus: items.length,
  orders,
};
process.send!(ready);
