import type { Marketplace } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { FlowDeps } from '../../engine';
import type { Flow } from '../flow';
import { confirmDespatch } from './confirm';
import { orderStates } from './order-states';
import { detectDeliveries } from './detect';
import { count, once, orderRef, type DespatchEnv } from './env';
import { despatchHandlers } from './handlers';
import { OperatorQueue } from './operator-queue';
import { recoverIntents } from './recovery';
import { DespatchRepository } from './repository';
import { runWatchdogs } from './watchdogs';
import type { PostedOrders } from '../orders/posted-orders';

export interface DespatchFlowOptions {
  sap: () => Sap | null;
  marketplace: () => Marketplace | null;
  /** The orders flow's posted orders (despatch finds an order from its Sales Order's binding, then asks here). */
  postedOrders: PostedOrders;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The job queue's name for confirming one order's despatch. */
export const CONFIRM_JOB = 'confirm-despatch';
const confirmJob = (orderId: string) => ({ kind: CONFIRM_JOB, record: orderRef(orderId), what: `confirm the despatch of ${orderId}` });

/**
 * SAP Delivery Notes to marketplace despatch confirmations, exactly once. Each run, top to bottom: settle OR23/OR24
 * intents an earlier run left without an outcome (by reading the order), the despatches a person is waiting on (a
 * correction: each order read at once, under the marketplace's allowance for an operator's action), read Delivery
 * Notes changed since the watermark, confirm every other despatch that is due (or retried by a person), then the
 * watchdogs.
 */
export function despatchFlow(deps: FlowDeps, options: DespatchFlowOptions): Flow<'despatch'> {
  const repo = new DespatchRepository(deps.ledger.db);
  const queue = new OperatorQueue();
  const handlers = despatchHandlers({
    ledger: deps.ledger,
    clock: deps.ports.clock,
    logger: deps.ports.logger,
    settings: () => deps.settings().despatch,
    sap: options.sap,
    marketplace: options.marketplace,
    postedOrders: options.postedOrders,
    runNow: () => deps.runFlow?.('despatch') ?? Promise.resolve(),
    queue,
    emit: deps.emit,
  });

  return {
    name: 'despatch',
    queries: handlers.queries,
    commands: handlers.commands,
    async run(ctx) {
      const sap = options.sap();
      const marketplace = options.marketplace();
      if (!sap || !marketplace) throw new Error('The despatch flow needs both SAP and the marketplace configured (Connections)');
      const env: DespatchEnv = {
        ctx,
        settings: ctx.settings.despatch,
        cardCode: ctx.settings.orders.cardCode,
        taxMode: ctx.settings.orders.taxMode,
        repo,
        postedOrders: options.postedOrders,
        sap,
        marketplace,
        retrying: new Set(
          ctx.ledger.exceptions
            .live('despatch')
            .filter((e) => e.state === 'retrying' && e.record.type === 'order')
            .map((e) => e.record.key),
        ),
        counts: {},
        carriers: once(() => marketplace.shipping.carriers()),
        platform: once(() => marketplace.shop.platformConfig()),
        orders: orderStates(marketplace, ctx.settings.orders.taxMode),
        now: () => new Date(ctx.clock.now()),
      };
      const isDue = (orderId: string) => {
        const d = repo.get(orderId);
        return d && (d.state === 'ready' || d.state === 'tracking-sent' || d.state === 'waiting-lines' || (d.state === 'blocked' && env.retrying.has(orderId)))
          ? d
          : null;
      };
      const failures: string[] = [];
      const handled = new Set<string>();

      queue.phase = 'operator';
      try {
        await recoverIntents(env);

        // A person is waiting on these: each order read at once, then confirmed, before anything else.
        for (let ids = queue.orderIds(); ids.length; ids = queue.orderIds().filter((id) => !handled.has(id))) {
          for (const orderId of ids) {
            handled.add(orderId);
            const d = isDue(orderId);
            if (!d) {
              queue.handled(orderId);
              continue;
            }
            const attempt = await ctx.attempt({ ...confirmJob(orderId), personWaiting: true }, async () => {
              await env.orders.readForOperator(orderId);
              await confirmDespatch(env, d);
            });
            if (attempt.ran && !attempt.ok) {
              failures.push(`${orderId}: ${message(attempt.error)}`);
              queue.handled(orderId, message(attempt.error));
            } else if (!attempt.ran)
              queue.handled(orderId, 'Not sent yet: SAP or the marketplace could not be reached earlier in this run; it is tried at the next run');
            else queue.handled(orderId);
          }
        }
        queue.phase = 'rest';

        await detectDeliveries(env);

        // Blocked despatches wait for a person; they are looked at again when retried or when SAP changed them. A
        // correction that came in meanwhile waits for the next run's operator step, not for the order-list window.
        const due = [
          ...repo.inStates(['ready', 'tracking-sent', 'waiting-lines']),
          ...repo.inStates(['blocked']).filter((d) => env.retrying.has(d.orderId)),
        ].filter((d) => !handled.has(d.orderId) && !queue.isWaiting(d.orderId));
        queue.phase = 'list-read';
        await env.orders.prefetch(due.map((d) => d.orderId));
        queue.phase = 'rest';
        // Each through the job queue: a technical failure (network, 5xx, 429) is retried after a backoff and, past its
        // limit, waits for a person's replay; the run reports it.
        for (const d of due) {
          const attempt = await ctx.attempt(confirmJob(d.orderId), () => confirmDespatch(env, d));
          if (!attempt.ran) count(env, attempt.why === 'backing-off' ? 'backingOff' : attempt.why === 'gave-up' ? 'gaveUp' : 'notTried');
          else if (!attempt.ok) failures.push(`${d.orderId}: ${message(attempt.error)}`);
        }
        runWatchdogs(env);
      } finally {
        queue.phase = 'idle';
      }
      if (failures.length) throw new Error(`${failures.length} despatch(es) could not be confirmed and will be retried: ${failures.slice(0, 3).join('; ')}`);
      return env.counts;
    },
  };
}
