import { systemClock } from '../../../electron/engine/clock';
import { createEngine, type Engine } from '../../../electron/engine/engine';
import { createJohnLewisMarketplace, CallGovernor, type MarketplaceCallStore, type RateWindow } from '../../../electron/engine/connectors/john-lewis';
import { createSapConnector } from '../../../electron/engine/connectors/sap-b1';
import { ordersFlow, type AvailabilityLookup } from '../../../electron/engine/flows/orders';
import { memoryLogger } from '../../../electron/engine/logging';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import type { EnginePorts } from '../../../electron/engine/ports';
import type { OrdersSettings } from '../../../shared/domain/orders';
import { memorySecrets, memorySettings } from '../../support/ports';
import { GO_LIVE } from '../../support/ports';
import { asSap } from '../../support/sap';

export interface OrdersEngineOptions {
  sapUrl: string;
  marketplaceUrl: string;
  marketplaceKey: string;
  ledgerFile: string;
  orders?: Partial<OrdersSettings>;
  availability?: AvailabilityLookup | null;
  sapTimeoutSeconds?: number;
  maxConcurrency?: number;
  dryRun?: boolean;
  logger?: EnginePorts['logger'];
  /** Another clock than the system's (e.g. one a test moves forward past the job queue's backoff). */
  clock?: EnginePorts['clock'];
  /** The marketplace maxima the connector keeps to (default none: see below), e.g. PUBLISHED_MAXIMA on a fake clock. */
  marketplaceLimits?: Readonly<Record<string, readonly RateWindow[]>>;
  /** Where the connector keeps its call windows and findings; pass the same one to an engine started again. */
  callStore?: MarketplaceCallStore;
}

/**
 * An engine running only the orders flow against the emulators, on the real clock. The marketplace connector
 * gets a governor without the published maxima: OR11's one call a minute would turn a test into an hour.
 */
export function createOrdersEngine(o: OrdersEngineOptions): Engine {
  const clock = o.clock ?? systemClock();
  const logger = o.logger ?? memoryLogger();
  const settings = memorySettings({
    dryRun: o.dryRun ?? false,
    sap: {
      baseUrl: o.sapUrl,
      serviceLayerVersion: 'v2',
      companyDb: 'SBODEMOGB',
      userName: 'manager',
      pinnedCertificate: null,
      maxConcurrency: o.maxConcurrency ?? 4,
      timeoutSeconds: o.sapTimeoutSeconds ?? 5,
    },
    marketplace: { baseUrl: o.marketplaceUrl, shopId: null, timeoutSeconds: 5 },
    flows: { orders: { enabled: true, cadenceSeconds: 1 } } as never,
    orders: { lease: { seconds: 60 }, ordersFrom: GO_LIVE, createSettleSeconds: 1, acceptancePolicy: 'accept-all', ...o.orders } as never,
  });
  const secrets = memorySecrets({ 'sap.password': 'manager', 'marketplace.apiKey': o.marketplaceKey });
  const http = createHttpClientFactory();
  const ports: EnginePorts = { clock, logger, settings, secrets, notifier: { notify: () => undefined }, http };
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
    governor: new CallGovernor(clock, o.marketplaceLimits ?? {}, { store: o.callStore }),
  });
  return createEngine(ports, {
    ledgerFile: o.ledgerFile,
    buildFlows: (deps) => [ordersFlow(deps, { sap: () => sapPort, marketplace: () => marketplace, availability: o.availability ?? null })],
  });
}
