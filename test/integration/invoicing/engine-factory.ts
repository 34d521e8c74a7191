import { systemClock } from '../../../electron/engine/clock';
import { createEngine, type Engine } from '../../../electron/engine/engine';
import { createJohnLewisMarketplace, CallGovernor } from '../../../electron/engine/connectors/john-lewis';
import { createSapConnector } from '../../../electron/engine/connectors/sap-b1';
import { despatchFlow } from '../../../electron/engine/flows/despatch';
import { invoicingFlow } from '../../../electron/engine/flows/invoicing';
import { ordersFlow } from '../../../electron/engine/flows/orders';
import { postedOrders } from '../../../electron/engine/flows/orders/posted-orders';
import { memoryLogger } from '../../../electron/engine/logging';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import type { Clock } from '../../../electron/engine/ports';
import type { InvoicingSettings } from '../../../shared/domain/finance';
import type { OrdersSettings } from '../../../shared/domain/orders';
import { GO_LIVE, memorySecrets, memorySettings } from '../../support/ports';
import { asSap } from '../../support/sap';

export type InvoicingTestFlow = 'orders' | 'despatch' | 'invoicing';

export interface InvoicingEngineOptions {
  sapUrl: string;
  marketplaceUrl: string;
  marketplaceKey: string;
  ledgerFile: string;
  /** Which flows the engine has (all three by default); the invoicing flow is switched on with a 15-minute cadence. */
  flows?: InvoicingTestFlow[];
  invoicing?: Partial<InvoicingSettings>;
  orders?: Partial<OrdersSettings>;
  clock?: Clock;
  dryRun?: boolean;
  sapTimeoutSeconds?: number;
}

/**
 * An engine with the orders, despatch and invoicing flows against the emulators (the flows the invoicing flow builds
 * on: a Sales Order posted, a Delivery Note bound). The marketplace connector gets a governor without the published
 * maxima (OR11 once a minute would turn a test into an hour).
 */
export function createInvoicingEngine(o: InvoicingEngineOptions): Engine {
  const clock = o.clock ?? systemClock();
  const logger = memoryLogger();
  const flows = o.flows ?? ['orders', 'despatch', 'invoicing'];
  const settings = memorySettings({
    dryRun: o.dryRun ?? false,
    sap: {
      baseUrl: o.sapUrl,
      serviceLayerVersion: 'v2',
      companyDb: 'SBODEMOGB',
      userName: 'manager',
      pinnedCertificate: null,
      maxConcurrency: 4,
      timeoutSeconds: o.sapTimeoutSeconds ?? 5,
    },
    marketplace: { baseUrl: o.marketplaceUrl, shopId: null, timeoutSeconds: 5 },
    flows: {
      ...Object.fromEntries(flows.map((f) => [f, { enabled: true, cadenceSeconds: 3600 }])),
      ...(flows.includes('invoicing') ? { invoicing: { enabled: true, cadenceSeconds: 900 } } : {}),
    } as never,
    orders: { lease: { seconds: 60 }, ordersFrom: GO_LIVE, acceptancePolicy: 'accept-all', createSettleSeconds: 1, ...o.orders } as never,
    invoicing: o.invoicing as never,
  });
  const secrets = memorySecrets({ 'sap.password': 'manager', 'marketplace.apiKey': o.marketplaceKey });
  const http = createHttpClientFactory();
  const isDryRun = () => settings.get().dryRun;
  const sap = createSapConnector({ connection: settings.get().sap!, password: async () => 'manager', http, clock, logger, isDryRun });
  const sapPort = asSap(sap, () => settings.get());
  const marketplace = createJohnLewisMarketplace({
    connection: settings.get().marketplace!,
    secrets,
    http,
    clock,
    logger,
    isDryRun,
    governor: new CallGovernor(clock, {}),
  });
  return createEngine(
    { clock, logger, settings, secrets, notifier: { notify: () => undefined }, http },
    {
      ledgerFile: o.ledgerFile,
      buildFlows: (deps) => [
        ...(flows.includes('orders') ? [ordersFlow(deps, { sap: () => sapPort, marketplace: () => marketplace })] : []),
        ...(flows.includes('despatch')
          ? [despatchFlow(deps, { sap: () => sapPort, marketplace: () => marketplace, postedOrders: postedOrders(deps.ledger.db) })]
          : []),
        ...(flows.includes('invoicing') ? [invoicingFlow(deps, { sap: () => sapPort, postedOrders: postedOrders(deps.ledger.db) })] : []),
      ],
    },
  );
}
