import { randomUUID } from 'node:crypto';
import type { Marketplace, MarketplaceOrder } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { FlowDeps } from '../../engine';
import type { Flow } from '../flow';
import { accept } from './acceptance';
import { cancellations } from './cancellation';
import { lineCancellations } from './line-cancellations';
import { count, ItemCache, type AvailabilityLookup, type OrdersEnv } from './env';
import { ordersHandlers } from './handlers';
import { intake } from './intake';
import { PostingLease } from './lease';
import { checkDuplicates } from './duplicates';
import { shopModelHolds } from './shop-model';
import { RunCommitments } from './warehouses';
import { postDue } from './posting';
import { preflight, type PreflightReport } from './preflight';

import { recoverIntents } from './recovery';
import { OrdersRepository } from './repository';

/** How long a company check that found SAP ready is trusted before it is made again. */
const PREFLIGHT_REUSE_MS = 15 * 60_000;

export type { AvailabilityLookup } from './env';

export interface OrdersFlowOptions {
  sap: () => Sap | null;
  marketplace: () => Marketplace | null;
  /** The stock flow's availability; absent: every line's stock is unknown (treated per acceptance policy). */
  availability?: AvailabilityLookup | null;
  /** Tells the stock flow which SKUs new or changed orders touched, so it refreshes them first. */
  onOrderLinesTouched?: (skus: string[]) => void;
  /** Hands every order just read to the flows after this one (the returns flow keeps the refunds on its lines). */
  onOrdersRead?: (orders: readonly MarketplaceOrder[]) => void;
}

/**
 * Marketplace orders into SAP Sales Orders, exactly once. Each run, top to bottom: resolve intents an earlier
 * run left without an outcome, check the SAP company, take the posting lease, read new and changed orders page by
 * page (accepting or holding each page's orders waiting for acceptance before the next page is read), decide what
 * is left to accept, post debited orders, and close what the marketplace cancelled.
 */
export function ordersFlow(deps: FlowDeps, options: OrdersFlowOptions): Flow<'orders'> {
  const repo = new OrdersRepository(deps.ledger.db);
  const engineId =
    repo.getState('engine_id') ??
    (() => {
      const id = randomUUID();
      repo.setState('engine_id', id);
      return id;
    })();
  const handlers = ordersHandlers({
    ledger: () => deps.ledger,
    clock: deps.ports.clock,
    logger: deps.ports.logger,
    settings: () => deps.settings().orders,
    sap: options.sap,
    runSoon: () => undefined,
  });
  let lease: { key: string; lease: PostingLease } | null = null;
  let lastCheck: { key: string; at: number; report: PreflightReport } | null = null;

  return {
    name: 'orders',
    queries: handlers.queries,
    commands: handlers.commands,
    async run(ctx) {
      const sap = options.sap();
      const marketplace = options.marketplace();
      if (!sap || !marketplace) throw new Error('The orders flow needs both SAP and the marketplace configured (Settings → Connections)');
      const settings = ctx.settings.orders;
      const company = { type: 'sap-company', key: settings.cardCode };
      const leaseKey = JSON.stringify([settings.lease, ctx.settings.sap?.baseUrl, ctx.settings.sap?.companyDb]);
      if (lease?.key !== leaseKey) {
        lease = { key: leaseKey, lease: new PostingLease({ sap, clock: ctx.clock, repo, engineId, seconds: settings.lease.seconds }) };
      }
      const env: OrdersEnv = {
        ctx,
        settings,
        repo,
        sap,
        marketplace,
        availability: options.availability ?? null,
        lease: ctx.dryRun ? null : lease.lease,
        limits: null,
        committed: new RunCommitments(),
        retrying: new Set(
          ctx.ledger.exceptions
            .live('orders')
            .filter((e) => e.state === 'retrying' && e.record.type === 'order')
            .map((e) => e.record.key),
        ),
        counts: {},
        items: new ItemCache(sap),
        now: () => new Date(ctx.clock.now()),
      };

      const raiseCompany = (type: 'business-partner-missing' | 'udf-missing' | 'orders-from-missing', detail: string) =>
        ctx.raise({ type, record: company, summary: `Orders cannot be posted: ${detail}`, rawError: detail });
      // Without a go-live cut-off the first read would take the shop's whole history: live runs refuse.
      if (!settings.ordersFrom && !ctx.dryRun) {
        raiseCompany('orders-from-missing', 'no go-live cut-off ("orders from") is set');
        throw new Error('The orders flow does not run live without a go-live cut-off: set "orders from" in Orders → Orders settings');
      }
      ctx.resolve('orders-from-missing', company);

      const leaseMargin = 2 * ((ctx.settings.sap?.timeoutSeconds ?? 30) + 5) * 1000;
      /**
       * The company must be set up before anything is written to it (problems here block every order alike), and
       * this console must hold the posting lease. A company found ready is checked again every quarter of an hour
       * (or when the settings change), not every run: a dozen reads a minute of SAP's master data would be load for nothing.
       */
      const openGate = async (): Promise<'open' | 'blocked'> => {
        const checkKey = JSON.stringify([settings, ctx.dryRun, ctx.settings.sap?.baseUrl, ctx.settings.sap?.companyDb]);
        const cached = lastCheck && lastCheck.key === checkKey && ctx.clock.now() - lastCheck.at < PREFLIGHT_REUSE_MS ? lastCheck.report : null;
        const check = cached ?? (await preflight(sap, settings, { dryRun: ctx.dryRun }));
        lastCheck = check.ok ? { key: checkKey, at: cached ? lastCheck!.at : ctx.clock.now(), report: check } : null;
        env.limits = check.limits;
        const failing = check.checks.filter((c) => !c.ok);
        const bp = failing.find((c) => c.name === 'business-partner');
        if (bp) raiseCompany('business-partner-missing', bp.detail);
        else ctx.resolve('business-partner-missing', company);
        if (check.missingFields.length) raiseCompany('udf-missing', `SAP lacks ${check.missingFields.join(', ')}`);
        else ctx.resolve('udf-missing', company);
        if (bp || check.missingFields.length) {
          count(env, 'blockedBySetup');
          return 'blocked';
        }
        if (env.lease) {
          const held = await env.lease.acquire(leaseMargin);
          if (!held.held) {
            ctx.raise({
              type: 'posting-lease-held',
              record: company,
              summary: `Another console (${held.holder ?? 'unknown'}) posts orders for this SAP company until ${held.until ?? '?'}; this one only reads`,
            });
            count(env, 'leaseElsewhere');
            return 'blocked';
          }
          ctx.resolve('posting-lease-held', company);
        }
        return 'open';
      };

      await recoverIntents(env);

      // The company check and the posting lease come before the read, so each page's orders are accepted as the page
      // arrives. The orders are read whatever they say: a company not set up, a lease held elsewhere or SAP not
      // answering leaves this console reading (and showing) orders without accepting or posting them.
      let gate: 'open' | 'blocked' = 'blocked';
      let gateError: unknown = null;
      try {
        gate = await openGate();
      } catch (e) {
        gateError = e;
      }
      const tried = new Set<string>();
      await intake(env, async (stored, page) => {
        const skus = [...new Set(stored.flatMap((o) => o.lines.map((l) => l.sku).filter((s): s is string => !!s)))];
        if (skus.length) options.onOrderLinesTouched?.(skus);
        if (stored.length) options.onOrdersRead?.(stored);
        if (gate !== 'open') return;
        const waiting = stored.filter((o) => o.state === 'awaiting-acceptance').map((o) => o.orderId);
        // While another page follows, one order of this page stays waiting (accepted after the read), so the next page
        // starts past it and the marketplace can tell it from a new listing (decision 0404).
        if (page.more) waiting.pop();
        if (!waiting.length) return;
        // A long read (one page a minute) must not outlive the lease that lets this console decide.
        if (env.lease && !env.lease.holds(leaseMargin)) {
          const held = await env.lease.acquire(leaseMargin);
          if (!held.held) {
            gate = 'blocked';
            return;
          }
        }
        for (const id of await accept(env, { only: new Set(waiting) })) tried.add(id);
      });
      showPagesCounted(env);
      if (gateError) throw gateError;
      if (gate !== 'open') return env.counts;
      const postingHeld = await shopModelHolds(env);

      await accept(env, { except: tried });
      const { failures } = postingHeld ? { failures: [] } : await postDue(env);
      await cancellations(env);
      await lineCancellations(env);
      try {
        await checkDuplicates(env);
      } catch (e) {
        failures.push(`the duplicate check: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (failures.length) throw new Error(`${failures.length} order(s) could not be posted and will be retried: ${failures.slice(0, 3).join('; ')}`);
      return env.counts;
    },
  };
}

/** Says, as a warning an operator can read, that the marketplace counts every page of the order list (or that it no longer does). */
function showPagesCounted(env: OrdersEnv): void {
  const record = { type: 'order-listing', key: 'OR11' };
  const counted = env.marketplace.orders.listPagesCounted();
  if (!counted) {
    env.ctx.resolve('order-list-pages-counted', record);
    return;
  }
  env.ctx.raise({
    type: 'order-list-pages-counted',
    record,
    // Dismissed, it stays quiet until the marketplace refuses a page again after the finding has lapsed.
    recordVersion: counted.since,
    summary: `The marketplace counts every page of its order list against the once-a-minute limit (it refused a follow-on page at ${counted.since}): the console reads one page of 100 orders a minute until ${counted.until}`,
  });
}
