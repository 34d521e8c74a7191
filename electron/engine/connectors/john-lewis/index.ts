import type { MarketplaceConnection } from '../../../../shared/domain/settings';
import type { Clock, HttpClientFactory, Logger, SecretStore } from '../../ports';
import type { RetryPolicy } from '../../net/retry';
import type { Marketplace } from '../ports/marketplace';
import { fetchCarriers, parseCarriers } from './carriers';
import { MiraklClient } from './client';
import { DailyRead } from './daily';
import { fetchReasons, parseReasons } from './reasons';
import { fetchShopInfo, health, parseShopInfo, platformConfig } from './discovery';
import { CallGovernor } from './governor';
import { OR11_OPERATOR, PUBLISHED_MAXIMA } from './limits';
import { memoryCallStore, type MarketplaceCallStore } from './store';
import { exportOffers, listOffers } from './offers';
import { acceptOrder, cancelLines, cancelOrder, confirmShipment, OrderReader, refund, setTracking } from './orders';
import { acceptReturns, listReturns, receiveReturns } from './returns';
import { createShipments, orderShipments, setShipmentTracking, shipShipments } from './shipments';
import {
  accountingDocumentsPage,
  billingCyclesBetween,
  fetchAccountingDocuments,
  fetchBillingCycles,
  listTransactions,
  parseAccountingDocuments,
  parseBillingCycles,
} from './settlement';
import { awaitStockImport, pushStock, stockImportErrors, stockImportStatus } from './stock';
import { StockImportPace } from './stock-pace';

export { CallDeferredError, MarketplaceError, MarketplaceRequestError, isCallDeferred, isMarketplaceError } from './errors';
export { CallGovernor, DEFAULT_MAX_WAIT_MS, type CallGovernorOptions } from './governor';
export { memoryCallStore, type CallFinding, type CallWindow, type DailyRead as StoredDailyRead, type MarketplaceCallStore } from './store';
export { PUBLISHED_MAXIMA, OR11_OPERATOR, PAGES_COUNTED_FOR_MS, type RateWindow } from './limits';

/** The governor keys a despatch may wait on: the order reads (list window, and the one for an operator's action), tracking, ship, shipments. */
const DESPATCH_CALLS = ['OR11', OR11_OPERATOR, 'OR23', 'OR24', 'ST01', 'ST11', 'ST23', 'ST24'];
export { MiraklClient } from './client';

export interface JohnLewisMarketplaceDeps {
  http: HttpClientFactory;
  clock: Clock;
  secrets: Pick<SecretStore, 'get'>;
  connection: MarketplaceConnection;
  isDryRun: () => boolean;
  logger?: Logger;
  random?: () => number;
  governor?: CallGovernor;
  /** Call windows and daily reads kept across restarts (the engine's ledger); in memory when absent. Ignored when `governor` is given. */
  store?: MarketplaceCallStore;
  retryPolicy?: RetryPolicy;
}

/**
 * The John Lewis Marketplace connector (Mirakl seller API). One instance per shop, shared by every flow,
 * so its call-frequency governor, carrier cache and order de-duplication are shared too.
 */
export function createJohnLewisMarketplace(deps: JohnLewisMarketplaceDeps): Marketplace & { readonly client: MiraklClient } {
  const store = deps.store ?? memoryCallStore();
  const client = new MiraklClient({
    http: deps.http,
    clock: deps.clock,
    connection: deps.connection,
    apiKey: () => deps.secrets.get('marketplace.apiKey'),
    isDryRun: deps.isDryRun,
    logger: deps.logger,
    random: deps.random,
    governor: deps.governor ?? new CallGovernor(deps.clock, PUBLISHED_MAXIMA, { store }),
    retryPolicy: deps.retryPolicy,
  });
  const orders = new OrderReader(client);
  // What this shop's stock imports have taken so far, so their status is asked for when they should be done.
  const importPace = new StockImportPace();
  const carriers = new DailyRead({ operation: 'SH21', client, clock: deps.clock, store, fetch: () => fetchCarriers(client), parse: parseCarriers });
  const shop = new DailyRead({ operation: 'A01', client, clock: deps.clock, store, fetch: () => fetchShopInfo(client), parse: parseShopInfo });
  const refundReasons = new DailyRead({
    operation: 'RE02',
    client,
    clock: deps.clock,
    store,
    fetch: () => fetchReasons(client, 'REFUND'),
    parse: parseReasons,
  });
  // Once a day, all pages: a cycle or document newer than the day's read appears the next day.
  const billingCycles = new DailyRead({
    operation: 'SBC11',
    client,
    clock: deps.clock,
    store,
    fetch: () => fetchBillingCycles(client, deps.clock),
    parse: parseBillingCycles,
  });
  const accountingDocuments = new DailyRead({
    operation: 'IV01',
    client,
    clock: deps.clock,
    store,
    fetch: () => fetchAccountingDocuments(client, deps.clock),
    parse: parseAccountingDocuments,
  });
  return {
    client,
    orders: {
      list: (query, onPage) => orders.list(query, onPage),
      listPagesCounted: () => {
        const finding = client.governor.pagesCounted('OR11');
        return finding ? { since: new Date(finding.since).toISOString(), until: new Date(finding.until).toISOString() } : null;
      },
      get: (ids, taxMode, options) => orders.byIds(ids, taxMode, options),
      accept: async (orderId, decisions) => {
        await acceptOrder(client, orderId, decisions);
        orders.accepted(
          orderId,
          decisions.some((d) => d.accepted),
        );
      },
      cancel: (orderId) => cancelOrder(client, orderId),
      cancelLines: (request) => cancelLines(client, request),
      refund: (request) => refund(client, request),
    },
    shipping: {
      carriers: async (options) => (await carriers.get(options?.refresh)).value,
      setTracking: (orderId, tracking) => setTracking(client, orderId, tracking),
      confirm: (orderId) => confirmShipment(client, orderId),
      createShipments: (drafts) => createShipments(client, drafts),
      shipments: (orderId) => orderShipments(client, orderId),
      setShipmentTracking: (updates) => setShipmentTracking(client, updates),
      shipShipments: (ids) => shipShipments(client, ids),
      nextSlot: (options) =>
        new Date(
          deps.clock.now() + Math.max(...DESPATCH_CALLS.filter((k) => !(options?.forOperatorAction && k === 'OR11')).map((k) => client.governor.waitTime(k))),
        ),
    },
    stock: {
      push: (rows) => pushStock(client, rows, { pace: importPace, clock: deps.clock }),
      importStatus: (id) => stockImportStatus(client, id),
      importErrors: (id) => stockImportErrors(client, id),
      awaitImport: (id, options) => awaitStockImport(client, deps.clock, id, options?.timeoutMs, importPace),
      offers: (query) => listOffers(client, query),
      exportOffers: (options) => exportOffers(client, deps.clock, options),
    },
    returns: {
      list: (query) => listReturns(client, query),
      accept: (decisions) => acceptReturns(client, decisions),
      receive: (ids) => receiveReturns(client, ids),
      nextRead: () => new Date(deps.clock.now() + client.governor.waitTime('RT11')),
    },
    finance: {
      transactions: (query) => listTransactions(client, query),
      billingCycles: async (query) => billingCyclesBetween((await billingCycles.get(query?.refresh)).value, query),
      accountingDocuments: async (query) => accountingDocumentsPage((await accountingDocuments.get(query?.refresh)).value, query),
    },
    shop: {
      info: async (options) => {
        const { value, readAt } = await shop.get(options?.refresh);
        return { ...value, readAt: new Date(readAt).toISOString() };
      },
      platformConfig: () => platformConfig(client, async () => (await shop.get()).value.model),
      reasons: async (_type, options) => (await refundReasons.get(options?.refresh)).value,
      health: () => health(client, deps.clock),
    },
  };
}
