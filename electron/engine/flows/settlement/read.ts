import { isMarketplaceFailure, type AccountingDocument } from '../../connectors/ports/marketplace';
import { count, cycleRef, raise, type SettlementEnv } from './env';
import type { CycleRow } from './repository';

const DAY_MS = 86_400_000;
/** Without a setting, cycles that ended in the last 90 days are read. */
export const DEFAULT_READ_DAYS = 90;
/** Cycles are kept 400 days (retention): older ones are never read, however early `readFrom` is. */
export const KEPT_DAYS = 400;
/** Cycles last a month at most: asking the marketplace from this long before `readFrom` finds every cycle that ends after it. */
const LONGEST_CYCLE_DAYS = 62;
/** Pages one run reads at most (TL02 allows 60 calls an hour: the governor stops a run long before this). */
const MAX_PAGES_PER_RUN = 120;
/** IV01 pages (100 documents each) one cycle may have. */
const MAX_DOCUMENT_PAGES = 10;

const words = (e: unknown) => (isMarketplaceFailure(e) && e.rawBody ? e.rawBody : e instanceof Error ? e.message : String(e));

/** The earliest end of a cycle that is read: the setting, or 90 days back; never beyond what the ledger keeps. */
export function readFrom(env: SettlementEnv): string {
  const now = env.now().getTime();
  const setting = env.ctx.settings.settlement.readFrom;
  const from = setting && !Number.isNaN(Date.parse(setting)) ? Date.parse(setting) : now - DEFAULT_READ_DAYS * DAY_MS;
  return new Date(Math.max(from, now - KEPT_DAYS * DAY_MS)).toISOString();
}

/**
 * The marketplace's billing cycles (SBC11) that end on or after `from`, kept as it states them. The marketplace lists
 * them once a day; `refresh` (a person asked) reads them again where its allowance has come round.
 */
export async function listCycles(env: SettlementEnv, from: string, refresh = false): Promise<void> {
  const startDate = new Date(Date.parse(from) - LONGEST_CYCLE_DAYS * DAY_MS).toISOString().slice(0, 10);
  const cycles = await env.marketplace.finance.billingCycles({ startDate, ...(refresh ? { refresh } : {}) });
  const now = env.now();
  env.repo.transaction(() => {
    for (const c of cycles) {
      if (!c.id) continue;
      const ends = c.endDate ?? c.startDate;
      if (ends && Date.parse(ends) < Date.parse(from)) continue;
      env.repo.upsertCycle(c, now);
      count(env, 'cycles');
    }
  });
}

/**
 * Reads the lines (TL02) of every cycle not fully read, oldest first, a page at a time, each page stored with the
 * page to go on from. The connector paces the calls by the marketplace's published limits (20 a minute, 60 an hour)
 * and never waits longer in a run than it allows: then this run stops reading and the next run goes on from that
 * page. A cycle the marketplace refuses is an exception on it in the marketplace's words; the others are read.
 */
export async function readCycles(env: SettlementEnv, from: string): Promise<{ later: boolean }> {
  let pages = 0;
  for (const cycle of env.repo.cyclesToRead(from)) {
    const outcome = await readCycle(env, cycle, MAX_PAGES_PER_RUN - pages);
    pages += outcome.pages;
    if (outcome.state === 'later') {
      count(env, 'readLater');
      return { later: true };
    }
  }
  return { later: false };
}

async function readCycle(env: SettlementEnv, start: CycleRow, maxPages: number): Promise<{ state: 'read' | 'later' | 'refused'; pages: number }> {
  let cycle = start;
  for (let page = 0; page < maxPages; page++) {
    let result;
    try {
      result = await env.marketplace.finance.transactions(
        cycle.pageToken ? { pageToken: cycle.pageToken, limit: env.pageSize } : { billingCycleId: cycle.cycleId, limit: env.pageSize },
      );
    } catch (e) {
      if (isMarketplaceFailure(e) && e.refused) {
        raise(
          env,
          cycleRef(cycle.cycleId),
          'transactions-refused',
          `The marketplace refused to list the transaction lines of billing cycle ${cycle.cycleId}${cycle.pageToken ? ` (page ${cycle.pages + 1})` : ''}`,
          words(e),
        );
        // The page to go on from may be what it refuses: the next run reads the cycle again from its first page.
        if (cycle.pageToken) env.repo.restartRead(cycle.cycleId, env.now());
        count(env, 'cyclesRefused');
        return { state: 'refused', pages: page };
      }
      // Its allowance is used (the governor), or it cannot be reached: the next run goes on from this page.
      if (isMarketplaceFailure(e)) return { state: 'later', pages: page };
      throw e;
    }
    const { stored, foreign } = env.repo.savePage(cycle, result.items, result.nextPageToken, env.now());
    count(env, 'pagesRead');
    count(env, 'linesRead', stored);
    if (foreign) count(env, 'linesOfOtherCycles', foreign);
    if (!result.nextPageToken) {
      env.repo.finishRead(cycle.cycleId, env.now());
      env.ctx.resolve('transactions-refused', cycleRef(cycle.cycleId));
      count(env, 'cyclesRead');
      return { state: 'read', pages: page + 1 };
    }
    cycle = env.repo.cycle(cycle.cycleId)!;
  }
  return { state: 'later', pages: maxPages };
}

/**
 * The cycle's accounting documents (IV01: the marketplace's invoice for its commission and fees, manual ones), kept
 * once found. The marketplace lists them once a day: a cycle closed since the day's read has none yet, and they are
 * asked for again at later runs (from the day's read: no call).
 */
export async function readAccountingDocuments(env: SettlementEnv, cycle: CycleRow, refresh = false): Promise<void> {
  if (cycle.accountingDocuments?.length) return;
  const docs: AccountingDocument[] = [];
  try {
    for (let page = 0; page < MAX_DOCUMENT_PAGES; page++) {
      const result = await env.marketplace.finance.accountingDocuments({
        billingCycleId: cycle.cycleId,
        offset: docs.length,
        max: 100,
        ...(refresh && page === 0 ? { refresh } : {}),
      });
      docs.push(...result.items);
      if (!result.items.length || result.totalCount === null || docs.length >= result.totalCount) break;
    }
  } catch (e) {
    if (isMarketplaceFailure(e) && e.refused)
      raise(
        env,
        cycleRef(cycle.cycleId),
        'accounting-documents-refused',
        `The marketplace refused to list billing cycle ${cycle.cycleId}'s accounting documents`,
        words(e),
      );
    else if (!isMarketplaceFailure(e)) throw e;
    count(env, 'accountingDocumentsLater');
    return;
  }
  if (docs.length) env.repo.saveAccountingDocuments(cycle.cycleId, docs);
  env.ctx.resolve('accounting-documents-refused', cycleRef(cycle.cycleId));
}
