import { systemClock } from '../../../electron/engine/clock';
import { createEngine, type Engine } from '../../../electron/engine/engine';
import { CallGovernor, createJohnLewisMarketplace } from '../../../electron/engine/connectors/john-lewis';
import type { Marketplace } from '../../../electron/engine/connectors/ports/marketplace';
import { createSapConnector, sapPort } from '../../../electron/engine/connectors/sap-b1';
import { sapFieldNames } from '../../../electron/engine/connectors/connections';
import { flowsFor } from '../../../electron/engine/flows';
import { memoryLogger } from '../../../electron/engine/logging';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import type { Clock } from '../../../electron/engine/ports';
import type { Settings } from '../../../shared/domain/settings';
import { GO_LIVE, memorySecrets, memorySettings } from '../../support/ports';

export interface FinanceEngineOptions {
  sapUrl: string;
  marketplaceUrl: string;
  marketplaceKey: string;
  /** The not-nettable warehouse returned goods go into. */
  returnsWarehouse: string;
  ledgerFile: string;
  returns?: Partial<Settings['returns']>;
  invoicing?: Partial<Settings['invoicing']>;
  orders?: Partial<Settings['orders']>;
  settlement?: Partial<Settings['settlement']>;
  /** Which PC this console is (default: not chosen, which runs as the warehouse office's). */
  role?: Settings['role'];
  /** The flows switched on (default: orders, despatch, invoicing, returns). */
  flows?: string[];
  sapTimeoutSeconds?: number;
  dryRun?: boolean;
  clock?: Clock;
  wrapMarketplace?: (m: Marketplace) => Marketplace;
}

/**
 * An engine with the standard flows but stock (orders, despatch, invoicing, returns and settlement) against the emulators, its
 * marketplace governor without the published maxima (RT11 once in five minutes would turn a test into hours).
 */
export function createFinanceEngine(o: FinanceEngineOptions): Engine {
  const clock = o.clock ?? systemClock();
  const logger = memoryLogger();
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
    flows: Object.fromEntries((o.flows ?? ['orders', 'despatch', 'invoicing', 'returns']).map((f) => [f, { enabled: true, cadenceSeconds: 3600 }])) as never,
    orders: { lease: { seconds: 60 }, ordersFrom: GO_LIVE, acceptancePolicy: 'accept-all', ...o.orders } as never,
    returns: { warehouse: o.returnsWarehouse, ...o.returns } as never,
    invoicing: o.invoicing as never,
    settlement: o.settlement as never,
    role: o.role ?? null,
  });
  const secrets = memorySecrets({ 'sap.password': 'manager', 'marketplace.apiKey': o.marketplaceKey });
  const http = createHttpClientFactory();
  const isDryRun = () => settings.get().dryRun;
  const connector = createSapConnector({ connection: settings.get().sap!, password: async () => 'manager', http, clock, logger, isDryRun });
  const sap = sapPort(connector, () => sapFieldNames(settings.get()));
  const jl = createJohnLewisMarketplace({
    connection: settings.get().marketplace!,
    secrets,
    http,
    clock,
    logger,
    isDryRun,
    governor: new CallGovernor(clock, {}),
  });
  const marketplace = o.wrapMarketplace ? o.wrapMarketplace(jl) : jl;
  return createEngine(
    { clock, logger, settings, secrets, notifier: { notify: () => undefined }, http },
    { ledgerFile: o.ledgerFile, buildFlows: (deps) => flowsFor(deps, { sap: () => sap, marketplace: () => marketplace }).filter((f) => f.name !== 'stock') },
  );
}
