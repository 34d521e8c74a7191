import { systemClock } from '../../../electron/engine/clock';
import { createEngine, type Engine } from '../../../electron/engine/engine';
import { createJohnLewisMarketplace, CallGovernor, type RateWindow } from '../../../electron/engine/connectors/john-lewis';
import type { Marketplace } from '../../../electron/engine/connectors/ports/marketplace';
import { createSapConnector } from '../../../electron/engine/connectors/sap-b1';
import { despatchFlow } from '../../../electron/engine/flows/despatch';
import { ordersFlow } from '../../../electron/engine/flows/orders';
import { postedOrders } from '../../../electron/engine/flows/orders/posted-orders';
import { memoryLogger } from '../../../electron/engine/logging';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import type { Clock, Notification } from '../../../electron/engine/ports';
import type { DespatchSettings } from '../../../shared/domain/despatch';
import { memorySecrets, memorySettings } from '../../support/ports';
import { GO_LIVE } from '../../support/ports';
import { asSap } from '../../support/sap';

export interface DespatchEngineOptions {
  sapUrl: string;
  marketplaceUrl: string;
  marketplaceKey: string;
  ledgerFile: string;
  /** Which flows run: both by default; 'despatch' alone for an engine started on a fake clock. */
  flows?: ('orders' | 'despatch')[];
  despatch?: Partial<DespatchSettings>;
  clock?: Clock;
  dryRun?: boolean;
  /** Changes what the flow sees of the marketplace (e.g. a platform with multi-shipment on). */
  wrapMarketplace?: (m: Marketplace) => Marketplace;
  notifications?: Notification[];
  /** The marketplace call allowances to keep (none by default); PUBLISHED_MAXIMA for a test about waiting. */
  limits?: Readonly<Record<string, readonly RateWindow[]>>;
}

/**
 * An engine with the orders and despatch flows against the emulators. The marketplace connector gets a governor
 * without the published maxima (OR11 once a minute and SH21 once a day would turn a test into hours).
 */
export function createDespatchEngine(o: DespatchEngineOptions): Engine {
  const clock = o.clock ?? systemClock();
  const logger = memoryLogger();
  const flows = o.flows ?? ['orders', 'despatch'];
  const settings = memorySettings({
    dryRun: o.dryRun ?? false,
    sap: {
      baseUrl: o.sapUrl,
      serviceLayerVersion: 'v2',
      companyDb: 'SBODEMOGB',
      userName: 'manager',
      pinnedCertificate: null,
      maxConcurrency: 4,
      timeoutSeconds: 5,
    },
    marketplace: { baseUrl: o.marketplaceUrl, shopId: null, timeoutSeconds: 5 },
    flows: Object.fromEntries(flows.map((f) => [f, { enabled: true, cadenceSeconds: 3600 }])) as never,
    orders: { lease: { seconds: 60 }, ordersFrom: GO_LIVE, acceptancePolicy: 'accept-all' } as never,
    despatch: o.despatch as never,
  });
  const secrets = memorySecrets({ 'sap.password': 'manager', 'marketplace.apiKey': o.marketplaceKey });
  const http = createHttpClientFactory();
  const notifier = { notify: (n: Notification) => void o.notifications?.push(n) };
  const isDryRun = () => settings.get().dryRun;
  const sap = createSapConnector({ connection: settings.get().sap!, password: async () => 'manager', http, clock, logger, isDryRun });
  const sapPort = asSap(sap, () => settings.get());
  const jl = createJohnLewisMarketplace({
    connection: settings.get().marketplace!,
    secrets,
    http,
    clock,
    logger,
    isDryRun,
    governor: new CallGovernor(clock, o.limits ?? {}),
  });
  const marketplace = o.wrapMarketplace ? o.wrapMarketplace(jl) : jl;
  return createEngine(
    { clock, logger, settings, secrets, notifier, http },
    {
      ledgerFile: o.ledgerFile,
      buildFlows: (deps) => [
        ...(flows.includes('orders') ? [ordersFlow(deps, { sap: () => sapPort, marketplace: () => marketplace })] : []),
        ...(flows.includes('despatch')
          ? [despatchFlow(deps, { sap: () => sapPort, marketplace: () => marketplace, postedOrders: postedOrders(deps.ledger.db) })]
          : []),
      ],
    },
  );
}
