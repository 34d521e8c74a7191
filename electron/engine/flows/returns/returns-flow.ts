import type { Marketplace } from '../../connectors/ports/marketplace';
import { isMarketplaceFailure } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { FlowDeps } from '../../engine';
import { orderRef } from '../../ledger/bindings';
import type { Flow } from '../flow';
import type { PostedOrders } from '../orders/posted-orders';
import { creditDue, recoverCredits } from './credit';
import { findSapReturns, sendDecisions, sendReceipts } from './decisions';
import { count, retryKey, type ReturnsEnv } from './env';
import type { InvoicedOrders } from '../invoicing/invoiced-orders';
import { returnsHandlers } from './handlers';
import { noteRefunds, readReturns } from './intake';
import { settleRequests } from './refund-requests';
import { ReturnsRepository } from './repository';
import type { MarketplaceOrder } from '../../connectors/ports/marketplace';

export interface ReturnsFlowOptions {
  sap: () => Sap | null;
  marketplace: () => Marketplace | null;
  postedOrders: PostedOrders;
  invoiced: InvoicedOrders;
}

/** Whether the shop has the marketplace's returns module, asked again after this long. */
const PLATFORM_TTL_MS = 60 * 60_000;

export interface ReturnsFlow extends Flow<'returns'> {
  /** Keeps the refunds on the lines of orders the orders flow just read; each becomes one Credit Memo. */
  noteRefunds(orders: readonly MarketplaceOrder[]): void;
}

/**
 * Customers' returns and every refund into SAP, exactly once. Each run, top to bottom: settle refunds sent from the
 * console whose answer was lost (by reading the order), settle Credit Memo creates SAP did not answer (by looking them
 * up), read returns (RT11), send acceptances (RT21), find Returns the warehouse keyed in SAP, send receipts (RT25), then
 * credit every refund due: one Credit Memo per refund, copied from the order's invoice, taking back the goods of a
 * received return. A refund for an order not yet invoiced asks the invoicing flow for the invoice first.
 */
export function returnsFlow(deps: FlowDeps, options: ReturnsFlowOptions): ReturnsFlow {
  const repo = new ReturnsRepository(deps.ledger.db);
  const now = () => new Date(deps.ports.clock.now());
  const runSoon = () => void deps.runFlow?.('returns')?.catch(() => undefined);
  const handlers = returnsHandlers({
    ledger: deps.ledger,
    clock: deps.ports.clock,
    logger: deps.ports.logger,
    marketplace: options.marketplace,
    sap: options.sap,
    postedOrders: options.postedOrders,
    taxMode: () => deps.settings().orders.taxMode,
    runSoon,
  });
  let returnsModule: { at: number; on: boolean } | null = null;

  return {
    name: 'returns',
    queries: handlers.queries,
    commands: handlers.commands,
    noteRefunds(orders) {
      const at = now();
      for (const { orderId, orderLineId, refund: r } of noteRefunds(repo, orders, at))
        deps.ledger.timeline.add(
          orderRef(orderId),
          'marketplace',
          `Refund ${r.refundId} on line ${orderLineId}: ${r.amount.toFixed(2)} + shipping ${r.shippingAmount.toFixed(2)}`,
          at,
          {
            refundId: r.refundId,
          },
        );
    },
    async run(ctx) {
      const sap = options.sap();
      const marketplace = options.marketplace();
      if (!sap || !marketplace) throw new Error('The returns flow needs both SAP and the marketplace configured (Connections)');
      const setup = await sap.company.setup().catch(() => null);
      const env: ReturnsEnv = {
        ctx,
        settings: ctx.settings.returns,
        orders: ctx.settings.orders,
        repo,
        postedOrders: options.postedOrders,
        invoiced: options.invoiced,
        sap,
        marketplace,
        retrying: new Set(
          ctx.ledger.exceptions
            .live('returns')
            .filter((e) => e.state === 'retrying')
            .map((e) => retryKey(e.record)),
        ),
        counts: {},
        priceDecimals: setup?.priceDecimals ?? 6,
        wantsInvoicing: false,
        now: () => new Date(ctx.clock.now()),
      };
      const refundDeps = {
        repo,
        ledger: ctx.ledger,
        clock: ctx.clock,
        logger: ctx.logger,
        marketplace: () => marketplace,
        taxMode: () => ctx.settings.orders.taxMode,
      };
      count(env, 'refundRequestsSettled', await settleRequests(refundDeps));
      await recoverCredits(env);

      if (!returnsModule || ctx.clock.now() - returnsModule.at > PLATFORM_TTL_MS) {
        const config = await marketplace.shop.platformConfig().catch(() => null);
        returnsModule = { at: ctx.clock.now(), on: config?.returnsEnabled !== false };
      }
      const stepFailures: string[] = [];
      if (returnsModule.on) {
        // Each step on its own: one that fails (the marketplace away, SAP refusing a lookup) never keeps the others,
        // nor the credits below, from running. The returns calls wait for their allowance or the marketplace is
        // away: that is noted, not a failure; the returns are read next run.
        for (const [name, step] of [
          ['read returns', readReturns],
          ['send decisions', sendDecisions],
          ['find Returns keyed in SAP', findSapReturns],
          ['send receipts', sendReceipts],
        ] as const) {
          try {
            await step(env);
          } catch (e) {
            if (isMarketplaceFailure(e) && e.unreachable) count(env, 'returnsReadLater');
            else stepFailures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      } else count(env, 'noReturnsModule');

      const failures = await creditDue(env);
      if (env.wantsInvoicing) void deps.runFlow?.('invoicing')?.catch(() => undefined);
      const problems = [
        ...stepFailures,
        ...(failures.length ? [`${failures.length} refund(s) could not be credited and will be retried: ${failures.slice(0, 3).join('; ')}`] : []),
      ];
      if (problems.length) throw new Error(problems.join('; '));
      return env.counts;
    },
  };
}
