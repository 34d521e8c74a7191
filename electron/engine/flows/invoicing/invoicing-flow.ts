import type { Sap } from '../../connectors/ports/sap';
import type { FlowDeps } from '../../engine';
import { orderRef } from '../../ledger/bindings';
import type { Flow } from '../flow';
import type { PostedOrders } from '../orders/posted-orders';
import { count, once, type InvoicingEnv } from './env';
import { invoicingHandlers } from './handlers';
import { invoiceOrder, POST_JOB, youngIntent } from './invoice';
import { recoverIntents } from './recovery';
import { InvoicingRepository, type BatchTrigger, type DocumentRow, type DueOrder } from './repository';
import { dailyBatchDue, officeClock } from './schedule';

export interface InvoicingFlowOptions {
  sap: () => Sap | null;
  /** The orders flow's posted orders: the customer's number and the marketplace order as last read. */
  postedOrders: PostedOrders;
}

/** Orders invoiced together, for one reason: each group is posted in batches of the settings' size. */
interface Group {
  trigger: BatchTrigger;
  orders: DueOrder[];
  /** A person asked for these (Retry on an exception): tried now, whatever a backoff says. */
  personWaiting: boolean;
}

const message = (error: unknown) => {
  const { sapMessage } = (error ?? {}) as { sapMessage?: unknown };
  return typeof sapMessage === 'string' ? sapMessage : error instanceof Error ? error.message : String(error);
};

/**
 * Delivered marketplace orders into SAP A/R Invoices, once a day and exactly once. The flow checks on its cadence
 * (every 15 minutes by default); it posts only when the office clock has passed the daily time and today's batch has
 * not run, at once when a person presses "run now", and for the orders a refund or a return is waiting on (those
 * only). Each run, top to bottom: settle creates an earlier run left without an answer, then invoice the orders due, in
 * batches of the settings' size, each batch recorded before the next starts. Orders delivered after today's batch
 * began wait for tomorrow's.
 */
export function invoicingFlow(deps: FlowDeps, options: InvoicingFlowOptions): Flow<'invoicing'> {
  const repo = new InvoicingRepository(deps.ledger.db);
  const handlers = invoicingHandlers({
    ledger: deps.ledger,
    clock: deps.ports.clock,
    logger: deps.ports.logger,
    settings: deps.settings,
    runFlow: deps.runFlow ? () => deps.runFlow!('invoicing') : undefined,
  });

  return {
    name: 'invoicing',
    queries: handlers.queries,
    commands: handlers.commands,
    async run(ctx) {
      const sap = options.sap();
      if (!sap) throw new Error('The invoicing flow needs SAP configured (Settings → Connections)');
      const env: InvoicingEnv = {
        ctx,
        settings: ctx.settings.invoicing,
        orders: ctx.settings.orders,
        repo,
        sap,
        postedOrders: options.postedOrders,
        vatGroups: once(() => sap.company.outputVatGroups()),
        counts: {},
        now: () => new Date(ctx.clock.now()),
      };
      const startedAt = env.now();
      await recoverIntents(env);

      const due = repo.due();
      count(env, 'waiting', due.length);
      const live = ctx.ledger.exceptions.live('invoicing').filter((e) => e.record.type === 'order');
      const retrying = new Set(live.filter((e) => e.state === 'retrying').map((e) => e.record.key));
      const waitingForPerson = new Set(live.filter((e) => e.state === 'open' && e.category === 'business').map((e) => e.record.key));
      /** Not tried this run: settling after an unanswered create, waiting for a person, given up on or backing off (unless a person retries it). */
      const ready = (d: DueOrder) => {
        if (youngIntent(env, d.orderId)) return false;
        if (retrying.has(d.orderId)) return true;
        if (waitingForPerson.has(d.orderId)) return false;
        const job = ctx.ledger.jobs.get({ flow: 'invoicing', kind: POST_JOB, record: orderRef(d.orderId) });
        return !job || (job.state === 'retrying' && Date.parse(job.nextAttemptAt) <= ctx.clock.now());
      };

      // Who asked for what: a refund or return waiting (those orders only), a person's retry, "run now", the day's batch.
      const groups: Group[] = [];
      const taken = new Set<string>();
      const add = (trigger: BatchTrigger, orders: DueOrder[], personWaiting = false) => {
        const fresh = orders.filter((d) => !taken.has(d.orderId) && (personWaiting || ready(d)));
        for (const d of fresh) taken.add(d.orderId);
        if (fresh.length) groups.push({ trigger, orders: fresh, personWaiting });
      };
      const requested = new Set(repo.requested().map((r) => r.orderId));
      add(
        'return',
        due.filter((d) => requested.has(d.orderId)),
      );
      add(
        'manual',
        due.filter((d) => retrying.has(d.orderId)),
        true,
      );
      const runNow = repo.runNowRequested();
      if (runNow) add('manual', due);

      const { day } = officeClock(ctx.clock.now());
      let daily = repo.daily();
      if (dailyBatchDue(ctx.clock.now(), env.settings.runAt, daily?.day ?? null)) {
        daily = { day, cutoff: startedAt.toISOString(), done: false };
        repo.setDaily(daily);
        ctx.logger.info('The daily invoicing batch begins', { day, runAt: env.settings.runAt, due: due.length });
      }
      const today = daily?.day === day && !daily.done ? daily : null;
      if (today)
        add(
          'schedule',
          due.filter((d) => d.deliveredAt <= today.cutoff),
        );

      const failures: string[] = [];
      let unreachable = false;
      for (const group of groups) {
        for (let i = 0; i < group.orders.length; i += env.settings.batchSize) {
          const outcome = await postBatch(env, group, group.orders.slice(i, i + env.settings.batchSize));
          failures.push(...outcome.failures);
          unreachable ||= outcome.unreachable;
        }
      }

      if (runNow) repo.runNowAnswered(startedAt);
      // Today's batch is done once every order it covers went through or waits for a person; until then each check
      // tries those left (after their backoff, or once SAP answers again). Under dry run one pass shows it all.
      if (today) {
        const after = ctx.ledger.exceptions.live('invoicing').filter((e) => e.record.type === 'order' && e.state === 'open' && e.category === 'business');
        const stuck = new Set(after.map((e) => e.record.key));
        const left = repo
          .due()
          .filter((d) => d.deliveredAt <= today.cutoff && !stuck.has(d.orderId))
          .filter((d) => ctx.ledger.jobs.get({ flow: 'invoicing', kind: POST_JOB, record: orderRef(d.orderId) })?.state !== 'gave-up');
        if (ctx.dryRun || (!unreachable && left.length === 0)) {
          repo.setDaily({ ...today, done: true });
          ctx.logger.info("The day's invoicing batch is done", { day: today.day });
        } else count(env, 'leftForNextCheck', left.length);
      }
      if (failures.length) throw new Error(`${failures.length} order(s) could not be invoiced and will be retried: ${failures.slice(0, 3).join('; ')}`);
      return env.counts;
    },
  };
}

/**
 * One batch: recorded when it starts, each order invoiced through the job queue on its own (one bad order never stops
 * the others), each outcome recorded as a document, and the batch closed with its counts and total before the next.
 */
/** Invoices posted at once: one less than SAP's connection allows (at least one), so a person in SAP is never kept waiting. */
export const invoiceConcurrency = (sapMaxConcurrency: number | undefined) => Math.max(1, (sapMaxConcurrency ?? 2) - 1);

async function postBatch(env: InvoicingEnv, group: Group, orders: DueOrder[]): Promise<{ failures: string[]; unreachable: boolean }> {
  const { ctx, repo } = env;
  const batchId = repo.startBatch({ runId: ctx.runId, trigger: group.trigger, dryRun: ctx.dryRun }, env.now());
  const failures: string[] = [];
  let unreachable = false;
  // A few invoices at once (SAP's connection keeps its own limit across flows, and one slot is left for the office).
  let next = 0;
  const worker = async () => {
    while (next < orders.length) {
      const due = orders[next++]!;
      const doc: DocumentRow = {
        orderId: due.orderId,
        numAtCard: env.postedOrders.get(due.orderId)?.numAtCard ?? null,
        customer: env.orders.cardCode,
        deliveryDocNums: [],
        invoiceDocEntry: null,
        invoiceDocNum: null,
        total: null,
        marketplaceTotal: '0.00',
        currency: null,
        outcome: 'failed',
        exceptionId: null,
        error: null,
      };
      const attempt = await ctx.attempt(
        { kind: POST_JOB, record: orderRef(due.orderId), what: `invoice ${due.orderId} in SAP`, personWaiting: group.personWaiting },
        () => invoiceOrder(env, due, doc),
      );
      if (!attempt.ran) {
        count(env, attempt.why === 'backing-off' ? 'backingOff' : attempt.why === 'gave-up' ? 'gaveUp' : 'notTried');
        unreachable ||= attempt.why === 'unreachable';
        continue;
      }
      if (!attempt.ok) {
        count(env, 'failed');
        failures.push(`${due.orderId}: ${message(attempt.error)}`);
        unreachable ||= (attempt.error as { unreachable?: unknown } | null)?.unreachable === true;
        repo.addDocument(batchId, { ...doc, outcome: 'failed', error: message(attempt.error) }, env.now());
        continue;
      }
      if (attempt.result) repo.addDocument(batchId, attempt.result, env.now());
    }
  };
  await Promise.all(Array.from({ length: Math.min(invoiceConcurrency(ctx.settings.sap?.maxConcurrency), orders.length) }, worker));
  const batch = repo.endBatch(batchId, env.now());
  if (batch.documents === 0) repo.dropBatch(batchId);
  else
    ctx.logger.info('Invoice batch recorded', {
      batchId,
      trigger: group.trigger,
      documents: batch.documents,
      posted: batch.posted,
      failed: batch.failed,
      total: batch.total,
      dryRun: ctx.dryRun,
    });
  return { failures, unreachable };
}
