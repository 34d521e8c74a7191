/**
 * The emulators for `npm run bench -- scale`, in a process of their own (SAP and the marketplace run on other
 * computers; here they must not count as the engine's memory or blocking). The marketplace enforces its published
 * maxima (rateLimits). Started with fork(); reports its URLs over the IPC channel, then answers the benchmark's
 * requests (change SKUs in SAP, read figures from the marketplace's call log) and stops when asked or when its parent
 * goes away.
 */
import { startSapEmulator, DEFAULTS as SAP_DEFAULTS } from '../emulators/sap-b1';
import { startMarketplaceEmulator } from '../emulators/john-lewis';
import { DEFAULT_CONFIG, type EmulatorConfig } from '../emulators/john-lewis/config';

export interface ScaleEmulators {
  sapUrl: string;
  marketplaceUrl: string;
  apiKey: string;
  company: string;
  user: string;
  password: string;
  skus: number;
  warehouses: number;
  orders: number;
}

/** What the benchmark asks of this process, and what it answers. */
export type ScaleQuestion =
  | { kind: 'change-skus'; count: number }
  | { kind: 'orders'; expected: number }
  | { kind: 'stock-imports' }
  | { kind: 'last-call'; operation: string }
  /** More orders waiting, read under this reading of OR11's once a minute (the emulator's orderListPagesCount, where it has one). */
  | { kind: 'more-orders'; count: number; reading: OrderListReading };
export type OrderListReading = 'each-page' | 'one-listing';
export type ScaleRequest = ScaleQuestion & { id: number };

export interface OrdersProgress {
  accepted: number;
  /** Emulator clock (ms): the first OR11 call, the last successful OR21 of the first `expected` acceptances. */
  firstListMs: number | null;
  lastAcceptMs: number | null;
  listCalls: number;
  listRefused: number;
}

const skus = Number(process.env.BENCH_SKUS ?? 100_000);
const warehouses = Number(process.env.BENCH_WAREHOUSES ?? 4);
const orders = Number(process.env.BENCH_ORDERS ?? 500);
const sap = await startSapEmulator({ seed: { items: skus, warehouses } });
// Orders wait for acceptance (no automatic debit: the intake is what is measured); published maxima answer 429.
// The first 500 are read with OR11's follow-on pages free (the engine's reading, decision 0404); the next 500 with every
// page counted, the marketplace answering 429 above that.
const marketplace = await startMarketplaceEmulator({ config: { rateLimits: true, debitDelayMs: null, orderListPagesCount: 'one-listing' } });
const items = [...sap.state.items.keys()];
marketplace.admin.seedOffers(items.map((sku, i) => ({ sku, quantity: i % 7, price: `${(9.99 + (i % 50)).toFixed(2)}` })));
marketplace.admin.createOrders({ count: orders, skus: items.slice(0, 2_000), linesPerOrder: 2, quantities: [1, 2, 1] });
// The call log keeps every answer (a 100,000-offer export, the stock files): only the few operations read here stay.
const KEPT = new Set(['OR11', 'OR21', 'STO01', 'STO02', 'STO03']);

function answer(request: ScaleRequest): unknown {
  marketplace.state.calls = marketplace.state.calls.filter((c) => c.operation !== null && KEPT.has(c.operation));
  const calls = marketplace.state.calls;
  switch (request.kind) {
    case 'change-skus': {
      // A delivery into warehouse 01 for `count` SKUs spread through the catalogue.
      const step = Math.max(1, Math.floor(items.length / request.count));
      let changed = 0;
      for (let i = 0; i < items.length && changed < request.count; i += step, changed++) {
        sap.state.adjust(sap.state.items.get(items[i]!)!, '01', 'InStock', 5);
      }
      return { changed };
    }
    case 'orders': {
      const accepts = calls.filter((c) => c.operation === 'OR21' && c.status >= 200 && c.status < 300);
      const lists = calls.filter((c) => c.operation === 'OR11');
      return {
        accepted: accepts.length,
        firstListMs: lists[0]?.atMs ?? null,
        lastAcceptMs: accepts.length >= request.expected ? accepts[request.expected - 1]!.atMs : null,
        listCalls: lists.length,
        listRefused: lists.filter((c) => c.status === 429).length,
      } satisfies OrdersProgress;
    }
    case 'stock-imports':
      return marketplace.admin.stockImports();
    case 'more-orders': {
      // An emulator without the switch counts every page: then that is what is measured, and said.
      const hasSwitch = 'orderListPagesCount' in DEFAULT_CONFIG;
      if (hasSwitch) marketplace.admin.configure({ orderListPagesCount: request.reading } as Partial<EmulatorConfig>);
      marketplace.state.calls = [];
      marketplace.admin.createOrders({ count: request.count, skus: items.slice(2_000, 4_000), linesPerOrder: 2, quantities: [1, 2, 1] });
      return { reading: hasSwitch ? request.reading : 'each-page (this emulator has no orderListPagesCount switch)' };
    }
    case 'last-call':
      return calls.filter((c) => c.operation === request.operation).at(-1)?.atMs ?? null;
  }
}

const stop = () => void Promise.all([sap.stop(), marketplace.stop()]).then(() => process.exit(0));
process.on('message', (m: ScaleRequest | 'stop') => {
  if (m === 'stop') return stop();
  process.send!({ id: m.id, result: answer(m) });
});
process.on('disconnect', stop);
process.on('SIGINT', () => undefined);
const ready: ScaleEmulators = {
  sapUrl: sap.url,
  marketplaceUrl: marketplace.url,
  apiKey: marketplace.apiKey,
  company: SAP_DEFAULTS.company,
  user: SAP_DEFAULTS.user,
  password: SAP_DEFAULTS.password,
  skus: items.length,
  warehouses,
  orders,
};
process.send!(ready);
