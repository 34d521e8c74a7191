import { ContractError } from '../../../../shared/contract';
import type { InvoiceBatch, InvoiceDocument } from '../../../../shared/contract/finance';
import type { Settings } from '../../../../shared/domain/settings';
import type { ExceptionRecord } from '../../../../shared/domain/exceptions';
import type { Ledger } from '../../ledger';
import type { Clock, Logger } from '../../ports';
import type { CommandHandlers, QueryHandlers } from '../flow';
import { InvoicingRepository, type BatchRow, type DocumentRow } from './repository';
import { nextDailyBatch, officeClock } from './schedule';

export interface InvoicingHandlerDeps {
  ledger: Ledger;
  clock: Clock;
  logger: Logger;
  settings: () => Settings;
  /** Runs the invoicing flow now (joins a run in flight). */
  runFlow?: () => Promise<unknown>;
}

const batchOf = ({ runId: _runId, ...batch }: BatchRow): InvoiceBatch => batch;

/** The Invoicing screen: the batches newest first with what waits and when the next runs, one batch's documents, and "run now". */
export function invoicingHandlers(deps: InvoicingHandlerDeps): { queries: QueryHandlers; commands: CommandHandlers } {
  const repo = new InvoicingRepository(deps.ledger.db);

  /** The exception a document raised, while it is on record; for a failure with none, the live one on its order. */
  function problemOf(d: DocumentRow, live: readonly ExceptionRecord[]): InvoiceDocument['problem'] {
    const recorded = () => {
      try {
        return deps.ledger.exceptions.get(d.exceptionId!);
      } catch {
        return undefined; // pruned: resolved long ago
      }
    };
    const exception =
      d.exceptionId !== null ? recorded() : d.outcome === 'failed' ? live.find((e) => e.record.type === 'order' && e.record.key === d.orderId) : undefined;
    return exception ? { id: exception.id, type: exception.type, summary: exception.summary, rawError: exception.rawError } : null;
  }

  /**
   * When the next batch runs: today's time while today's batch has not run (or has not finished: then at the next
   * check), else tomorrow's; null while the flow is switched off.
   */
  function nextRunAt(): string | null {
    const settings = deps.settings();
    const schedule = settings.flows.invoicing;
    if (!schedule.enabled) return null;
    const now = deps.clock.now();
    const daily = repo.daily();
    const today = officeClock(now).day;
    const next = nextDailyBatch(now, settings.invoicing.runAt, daily?.day === today && daily.done ? today : null);
    if (next > now) return new Date(next).toISOString();
    // Due (or unfinished) now: the flow's next check, on its cadence after the last run began.
    const last = deps.ledger.runs.last('invoicing');
    const check = last ? Date.parse(last.startedAt) + schedule.cadenceSeconds * 1000 : now;
    return new Date(Math.max(now, check)).toISOString();
  }

  const queries: QueryHandlers = {
    'invoicing.batches': (req) => {
      const { rows, total } = repo.batches(req.limit, req.offset);
      return { rows: rows.map(batchOf), total, waiting: repo.dueCount(), nextRunAt: nextRunAt() };
    },
    'invoicing.batch': (req) => {
      const batch = repo.batch(req.id);
      if (!batch) throw new ContractError('failed', `No invoicing batch ${req.id} (batches are kept 90 days)`);
      const live = deps.ledger.exceptions.live('invoicing');
      const documents = repo.documents(req.id).map((d): InvoiceDocument => ({
        orderId: d.orderId,
        numAtCard: d.numAtCard,
        customer: d.customer,
        deliveryDocNums: d.deliveryDocNums,
        invoiceDocNum: d.invoiceDocNum,
        total: d.total,
        marketplaceTotal: d.marketplaceTotal,
        outcome: d.outcome,
        problem: problemOf(d, live),
      }));
      return { batch: batchOf(batch), documents };
    },
  };

  const commands: CommandHandlers = {
    'invoicing.runNow': (req) => {
      repo.requestRunNow(req.actor, new Date(deps.clock.now()));
      deps.logger.info('Invoicing batch asked for now', { actor: req.actor });
      if (!deps.runFlow) return { started: false };
      void deps.runFlow().catch(() => undefined);
      return { started: true };
    },
  };

  return { queries, commands };
}
