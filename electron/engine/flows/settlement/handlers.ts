import { ContractError } from '../../../../shared/contract';
import type { Ledger } from '../../ledger';
import type { Clock, Logger } from '../../ports';
import type { CommandHandlers, QueryHandlers } from '../flow';
import { Totals } from './lines';
import { SettlementRepository, type CycleRow } from './repository';
import { buildPayoutExport, type CycleForExport } from './export';
import { postCycle } from './posting';
import type { Sap } from '../../connectors/ports/sap';
import type { Settings } from '../../../../shared/domain/settings';

export interface SettlementHandlerDeps {
  ledger: Ledger;
  clock: Clock;
  logger: Logger;
  /** Runs the settlement flow now (joins a run in flight). */
  runFlow?: () => Promise<unknown>;
  sap: () => Sap | null;
  settings: () => Settings;
}

/** "Unpaid in SAP" documents a cycle's view lists at most (the summary counts them all). */
export const UNPAID_LISTED = 500;

/** The Payouts screen: cycles with their tie-out and variances, one cycle's totals and months, its lines, and "reconcile". */
export function settlementHandlers(deps: SettlementHandlerDeps): { queries: QueryHandlers; commands: CommandHandlers } {
  const repo = new SettlementRepository(deps.ledger.db);
  let postingQueue: Promise<void> = Promise.resolve();

  const queries: QueryHandlers = {
    'payouts.list': (req) => {
      const { rows, total } = repo.list(req.filter, req.limit, req.offset);
      return { rows: rows.map((c) => repo.summary(c)), total };
    },
    'payouts.get': (req) => {
      const cycle = repo.cycle(req.cycleId);
      if (!cycle) return null;
      return {
        cycle: repo.summary(cycle),
        totals: { month: null, ...(cycle.totals ?? Totals.zero()) },
        months: repo.monthsOf(cycle.cycleId),
        unpaidInSap: repo.unpaid(cycle.cycleId, UNPAID_LISTED),
      };
    },
    'payouts.lines': (req) => {
      if (!repo.cycle(req.cycleId)) throw new ContractError('failed', `No billing cycle ${req.cycleId} (cycles are kept 400 days)`);
      return repo.lines(req);
    },
    'payouts.export': async (req) => {
      const cycles: CycleRow[] = req.cycleId ? [repo.cycle(req.cycleId)].filter((c): c is CycleRow => c !== undefined) : repo.cyclesWithLinesIn(req.month!);
      if (!cycles.length) throw new ContractError('failed', req.cycleId ? `No billing cycle ${req.cycleId}` : `No payout lines in ${req.month}`);
      const forExport: CycleForExport[] = cycles.map((c) => ({
        cycle: repo.summary(c),
        totals: { month: null, ...(c.totals ?? Totals.zero()) },
        months: repo.monthsOf(c.cycleId),
        lines: [...repo.iterateLines({ cycleId: c.cycleId })].flat(),
      }));
      const file = await buildPayoutExport(req.format, req.cycleId ? { cycleId: req.cycleId } : { month: req.month! }, forExport);
      return { fileName: file.fileName, contentType: file.contentType, base64: Buffer.from(file.buffer).toString('base64') };
    },
  };

  const commands: CommandHandlers = {
    'payouts.reconcile': (req) => {
      if (req.cycleId) {
        if (!repo.cycle(req.cycleId)) throw new ContractError('failed', `No billing cycle ${req.cycleId} (cycles are kept 400 days)`);
        // Read again from its first page at the next run (never under a run reading it now); its lines stay on show
        // until the new read is complete.
        repo.requestReread(req.cycleId, new Date(deps.clock.now()));
      }
      // The marketplace's lists of cycles and documents are asked for afresh, where its allowance lets them be.
      repo.setState('refresh', new Date(deps.clock.now()).toISOString());
      deps.logger.info('Payout reconciliation asked for now', { actor: req.actor, cycleId: req.cycleId ?? null });
      if (!deps.runFlow) return { started: false };
      void deps.runFlow().catch(() => undefined);
      return { started: true };
    },
    'payouts.post': async (req) => {
      // One posting at a time in this engine: two "Post" presses at once would both look SAP up before either created.
      const previous = postingQueue;
      let release!: () => void;
      postingQueue = new Promise<void>((resolve) => (release = resolve));
      await previous;
      const results = [];
      try {
        // One cycle after another: each is its own fee invoice and payment, found again by its references.
        for (const cycleId of req.cycleIds)
          results.push(await postCycle({ repo, ledger: deps.ledger, clock: deps.clock, logger: deps.logger, sap: deps.sap, settings: deps.settings }, cycleId));
      } finally {
        release();
      }
      deps.logger.info('Payout posting asked for', { actor: req.actor, cycles: req.cycleIds.length });
      return { results };
    },
  };

  return { queries, commands };
}
