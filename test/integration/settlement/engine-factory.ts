import { systemClock } from '../../../electron/engine/clock';
import { createEngine, type Engine } from '../../../electron/engine/engine';
import { CallGovernor, createJohnLewisMarketplace } from '../../../electron/engine/connectors/john-lewis';
import type { Marketplace } from '../../../electron/engine/connectors/ports/marketplace';
import { createSapConnector, sapPort } from '../../../electron/engine/connectors/sap-b1';
import { sapFieldNames } from '../../../electron/engine/connectors/connections';
import { settlementFlow } from '../../../electron/engine/flows/settlement';
import { memoryLogger } from '../../../electron/engine/logging';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import type { Clock } from '../../../electron/engine/ports';
import type { Settings } from '../../../shared/domain/settings';
import { memorySecrets, memorySettings } from '../../support/ports';

export interface SettlementEngineOptions {
  sapUrl: string;
  marketplaceUrl: string;
  marketplaceKey: string;
  ledgerFile: string;
  settlement?: Partial<Settings['settlement']>;
  /** TL02 lines a page (default the marketplace's 2,000). */
  pageSize?: number;
  /** The marketplace connector's governor (default: no limits, so tests run at once). */
  governor?: (clock: Clock) => CallGovernor;
  clock?: Clock;
  wrapMarketplace?: (m: Marketplace) => Marketplace;
}

/**
 * A finance console: an engine of its own, with its own (empty) ledger, that runs only the settlement flow against
 * the same SAP company and marketplace shop another console posts to.
 */
export function createSettlementEngine(o: SettlementEngineOptions): Engine {
  const clock = o.clock ?? systemClock();
  const logger = memoryLogger();
  const settings = memorySettings({
    sap: {
      baseUrl: o.sapUrl,
      serviceLayerVersion: 'v2',
      companyDb: 'SBODEMOGB',
      userName: 'manager',
      pinnedCertificate: null,
      maxConcurrency: 4,
      timeoutSeconds: 10,
    },
    marketplace: { baseUrl: o.marketplaceUrl, shopId: null, timeoutSeconds: 10 },
    flows: { settlement: { enabled: true, cadenceSeconds: 21_600 } } as never,
    settlement: { readFrom: null, ...o.settlement } as never,
    role: 'finance',
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
    governor: o.governor ? o.governor(clock) : new CallGovernor(clock, {}),
  });
  const marketplace = o.wrapMarketplace ? o.wrapMarketplace(jl) : jl;
  return createEngine(
    { clock, logger, settings, secrets, notifier: { notify: () => undefined }, http },
    { ledgerFile: o.ledgerFile, buildFlows: (deps) => [settlementFlow(deps, { sap: () => sap, marketplace: () => marketplace, pageSize: o.pageSize })] },
  );
}

/**
 * A clock whose sleeps pass at once (time jumps forward instead), so a run paced by the marketplace's allowance
 * (20 calls a minute) finishes in milliseconds; timers still fire in real time.
 */
export function jumpingClock(): Clock & { jumpedMs(): number; jump(ms: number): void } {
  const real = systemClock();
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    setTimeout: (cb, ms) => real.setTimeout(cb, ms),
    clearTimeout: (h) => real.clearTimeout(h),
    sleep(ms) {
      offset += Math.max(0, ms);
      return new Promise((resolve) => setImmediate(resolve));
    },
    jumpedMs: () => offset,
    jump(ms) {
      offset += ms;
    },
  };
}
