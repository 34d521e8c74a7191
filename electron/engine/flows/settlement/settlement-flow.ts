import Decimal from 'decimal.js';
import { isMarketplaceFailure, type Marketplace } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { FlowDeps } from '../../engine';
import type { Flow } from '../flow';
import { count, type SettlementEnv } from './env';
import { settlementHandlers } from './handlers';
import { listCycles, readAccountingDocuments, readCycles, readFrom } from './read';
import { reconcileCycle } from './reconcile';
import { SettlementRepository } from './repository';

export interface SettlementFlowOptions {
  sap: () => Sap | null;
  marketplace: () => Marketplace | null;
  /** TL02 lines a page: the marketplace's most (2,000) unless a test asks for smaller pages. */
  pageSize?: number;
}

/** Lookups by the customer's number one run may make for orders the batched lookups did not find (keyed by hand). */
const SINGLE_LOOKUPS_PER_RUN = 200;

/**
 * Payout reconciliation, run by finance. Each run, top to bottom: the marketplace's billing cycles since `readFrom`
 * (SBC11); the lines of every cycle not fully read (TL02), paced by the marketplace's allowance and going on at the
 * next run where it ran out; then every cycle read and not reconciled: its accounting documents (IV01), the tie-out
 * and totals (per month, UK time), every order and refund line matched with the SAP document that should pay it,
 * found in SAP itself (never in another flow's tables: a finance PC with an empty ledger works the same), and the
 * marketplace customer's SAP documents of its period; last, the orders and refunds that differed or were missing at
 * an earlier run are asked about again.
 */
export function settlementFlow(deps: FlowDeps, options: SettlementFlowOptions): Flow<'settlement'> {
  const repo = new SettlementRepository(deps.ledger.db);
  const handlers = settlementHandlers({
    ledger: deps.ledger,
    clock: deps.ports.clock,
    logger: deps.ports.logger,
    runFlow: deps.runFlow ? () => deps.runFlow!('settlement') : undefined,
    sap: options.sap,
    settings: deps.settings,
  });

  return {
    name: 'settlement',
    queries: handlers.queries,
    commands: handlers.commands,
    async run(ctx) {
      const sap = options.sap();
      const marketplace = options.marketplace();
      if (!sap || !marketplace) throw new Error('The settlement flow needs both SAP and the marketplace configured (Settings → Connections)');
      const shop = await marketplace.shop.info().catch(() => null);
      const env: SettlementEnv = {
        ctx,
        repo,
        sap,
        marketplace,
        customer: ctx.settings.orders.cardCode,
        compareVat: shop?.model !== 'dropship',
        maxRounding: new Decimal(ctx.settings.orders.maxRounding),
        pageSize: options.pageSize ?? 2000,
        parallelChunks: Math.max(1, (ctx.settings.sap?.maxConcurrency ?? 4) - 1),
        singleLookupsLeft: SINGLE_LOOKUPS_PER_RUN,
        counts: {},
        now: () => new Date(ctx.clock.now()),
      };
      const problems: string[] = [];
      const again = repo.applyRereads(env.now());
      if (again.length) count(env, 'cyclesAskedAgain', again.length);
      const from = readFrom(env);
      // A person asked: the marketplace's lists are read afresh where its allowance lets them be.
      const refresh = repo.getState('refresh') !== null;
      repo.clearState('refresh');
      try {
        await listCycles(env, from, refresh);
      } catch (e) {
        // Cycles already known are still read and reconciled.
        if (!isMarketplaceFailure(e)) throw e;
        problems.push(`the marketplace did not list its billing cycles (${e.rawBody ?? e.message})`);
      }
      await readCycles(env, from);

      let sapUnreachable = false;
      const runStarted = env.now().toISOString();
      for (const cycle of repo.cyclesToReconcile()) {
        if ((await reconcileCycle(env, cycle)).unreachable) {
          sapUnreachable = true;
          break;
        }
      }
      // Cycles reconciled at an earlier run whose orders or refunds differed or were missing: SAP may be corrected since.
      if (!sapUnreachable)
        for (const cycle of repo.cyclesWithVariances(runStarted)) {
          if ((await reconcileCycle(env, cycle, true)).unreachable) {
            sapUnreachable = true;
            break;
          }
        }
      // The marketplace's invoice of each cycle (its commission and fees), once the day's listing has it.
      let refreshDocuments = refresh;
      for (const cycle of repo.cyclesWithoutDocuments()) {
        await readAccountingDocuments(env, cycle, refreshDocuments);
        refreshDocuments = false;
      }
      if (sapUnreachable) {
        count(env, 'sapUnreachable');
        problems.push('SAP could not be reached: the rest is reconciled at the next run');
      }
      if (problems.length) throw new Error(problems.join('; '));
      return env.counts;
    },
  };
}
