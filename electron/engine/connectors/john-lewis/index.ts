import type { MarketplaceConnection } from '../../../../shared/domain/settings';
import type { Clock, HttpClientFactory, Logger, SecretStore } from '../../ports';
import type { RetryPolicy } from '../../net/retry';
import type { Marketplace } from '../marketplace';
import { CarrierCache } from './carriers';
import { MiraklClient } from './client';
import { health, platformConfig, ShopInfoCache } from './discovery';
import type { CallGovernor } from './governor';
import { OR11_OPERATOR } from './limits';
import { exportOffers, listOffers } from './offers';
import { acceptOrder, cancelLines, cancelOrder, confirmShipment, OrderReader, refund, setTracking } from './orders';
import { acceptReturns, listReturns, receiveReturns } from './returns';
import { createShipments, orderShipments, setShipmentTracking, shipShipments } from './shipments';
import { listAccountingDocuments, listBillingCycles, listTransactions } from './settlement';
import { awaitStockImport, pushStock, stockImportErrors, stockImportStatus } from './stock';

export { MarketplaceError, MarketplaceRequestError, isMarketplaceError } from './errors';
export { CallGovernor } from './governor';
export { PUBLISHED_MAXIMA, OR11_OPERATOR, type RateWindow } from './limits';

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
  retryPolicy?: RetryPolicy;
}

/**
 * The John Lewis Marketplace connector (Mirakl seller API). One instance per shop, shared by every flow,
 * so its call-frequency governor, carrier cache and order de-duplication are shared too.
 */
export function createJohnLewisMarketplace(deps: JohnLewisMarketplaceDeps): Marketplace & { readonly client: MiraklClient } {
  const client = new MiraklClient({
    http: deps.http,
    clock: deps.clock,
    connection: deps.connection,
    apiKey: () => deps.secrets.get('marketplace.apiKey'),
    isDryRun: deps.isDryRun,
    logger: deps.logger,
    random: deps.random,
    governor: deps.governor,
    retryPolicy: deps.retryPolicy,
  });
  const orders = new OrderReader(client);
  const carriers = new CarrierCache(client, deps.clock);
  const shop = new ShopInfoCache(client, deps.clock);
  return {
    client,
    listOrders: (query) => orders.list(query),
    getOrders: (ids, taxMode, options) => orders.byIds(ids, taxMode, options),
    acceptOrder: (orderId, decisions) => acceptOrder(client, orderId, decisions),
    setTracking: (orderId, tracking) => setTracking(client, orderId, tracking),
    confirmShipment: (orderId) => confirmShipment(client, orderId),
    createShipments: (drafts) => createShipments(client, drafts),
    orderShipments: (orderId) => orderShipments(client, orderId),
    setShipmentTracking: (updates) => setShipmentTracking(client, updates),
    shipShipments: (ids) => shipShipments(client, ids),
    refund: (request) => refund(client, request),
    cancelOrder: (orderId) => cancelOrder(client, orderId),
    cancelLines: (request) => cancelLines(client, request),
    carriers: (options) => carriers.get(options?.refresh),
    pushStock: (rows) => pushStock(client, rows),
    stockImportStatus: (id) => stockImportStatus(client, id),
    stockImportErrors: (id) => stockImportErrors(client, id),
    awaitStockImport: (id, options) => awaitStockImport(client, deps.clock, id, options?.timeoutMs),
    offers: (query) => listOffers(client, query),
    exportOffers: (options) => exportOffers(client, deps.clock, options),
    returns: (query) => listReturns(client, query),
    acceptReturns: (decisions) => acceptReturns(client, decisions),
    receiveReturns: (ids) => receiveReturns(client, ids),
    transactions: (query) => listTransactions(client, query),
    billingCycles: (query) => listBillingCycles(client, query),
    accountingDocuments: (query) => listAccountingDocuments(client, query),
    shopInfo: (options) => shop.get(options?.refresh),
    platformConfig: () => platformConfig(client),
    health: () => health(client, deps.clock),
    nextDespatchSlot: (options) =>
      new Date(deps.clock.now() + Math.max(...DESPATCH_CALLS.filter((k) => !(options?.forOperatorAction && k === 'OR11')).map((k) => client.governor.waitTime(k)))),
  };
}
