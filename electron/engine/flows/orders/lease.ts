import type { SapConnector, UserTableRow } from '../../connectors/sap-b1';
import type { Clock } from '../../ports';
import type { OrdersRepository } from './repository';

/**
 * The user-defined table that holds the posting lease (`@JLM_LEASE`, served as `U_JLM_LEASE`), one row per
 * term: Code = the term's number (zero-padded so text order is number order), U_Holder, U_Until (ISO time).
 */
export const LEASE_TABLE = 'JLM_LEASE';
export const LEASE_FIELDS = [
  { Name: 'Holder', Description: 'Console holding the lease', Size: 100 },
  { Name: 'Until', Description: 'Lease valid until (UTC)', Size: 30 },
] as const;

/** Terms kept in the table; older ones are deleted when a new term is taken, so the table never grows. */
const TERMS_KEPT = 5;
const CODE_WIDTH = 10;

export interface LeaseView {
  holder: string | null;
  untilMs: number;
}

/**
 * This process's name in the lease: the ledger's engine id and the process id. Two processes sharing one
 * ledger (so one PC) are told apart, and a holder that shares our ledger but whose process is gone (killed,
 * crashed) is known dead at once instead of after its lease runs out.
 */
export function instanceName(engineId: string, pid = process.pid): string {
  return `${engineId}/${pid}`;
}

function deadSibling(holder: string, engineId: string): boolean {
  const [id, pid] = holder.split('/');
  if (id !== engineId || !pid || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

interface Term extends LeaseView {
  code: string;
  number: number;
}

function toTerm(row: UserTableRow | undefined): Term | null {
  if (!row) return null;
  const number = Number(row.Code);
  const untilMs = Date.parse(String(row.U_Until ?? ''));
  if (!Number.isInteger(number)) return null;
  return { code: row.Code, number, holder: typeof row.U_Holder === 'string' ? row.U_Holder : null, untilMs: Number.isNaN(untilMs) ? 0 : untilMs };
}

const codeOf = (n: number) => String(n).padStart(CODE_WIDTH, '0');

/**
 * The posting lease: one console at a time writes orders for an SAP company. It lives in SAP, because SAP is
 * the one thing every console pointed at the company sees (two PCs do not share a ledger file), and in a
 * user-defined table of its own, so keeping it never writes to a master record people edit (the business
 * partner's change log, its locks). A term is taken by inserting the next row: the table's unique Code makes
 * that a compare-and-set on every Service Layer version, with or without ETags — of two consoles inserting the
 * same term, SAP lets exactly one row in. The holder renews by updating its own row while it is valid, which
 * nobody else writes. See docs/decisions/0402-posting-lease-table.md.
 */
export class PostingLease {
  private untilMs = 0;

  constructor(private readonly deps: { sap: SapConnector; clock: Clock; repo: OrdersRepository; engineId: string; seconds: number }) {}

  /** True while this engine holds the lease with at least `marginMs` left. */
  holds(marginMs = 0): boolean {
    return this.untilMs - this.deps.clock.now() > marginMs;
  }

  /**
   * Takes or renews the lease so that at least `minRemainingMs` of it is left (default: half its length); false
   * when another console holds it.
   */
  async acquire(minRemainingMs = 0): Promise<{ held: boolean; holder: string | null; until: string | null }> {
    const { sap, clock, seconds, repo } = this.deps;
    const me = instanceName(this.deps.engineId);
    const table = sap.userTable(LEASE_TABLE);
    const result = (held: boolean, view: LeaseView | null) => {
      this.untilMs = held && view ? view.untilMs : 0;
      const out = { held, holder: view?.holder ?? null, until: view ? new Date(view.untilMs).toISOString() : null };
      repo.recordLease({ holder: out.holder, until: out.until, heldByMe: held }, new Date(clock.now()));
      return out;
    };
    // Two passes at most: a term another console inserted between our read and our insert is read and decided on.
    for (let pass = 1; pass <= 2; pass++) {
      const current = toTerm((await table.latest(1))[0]);
      const now = clock.now();
      const valid = current !== null && current.untilMs > now;
      const mine = valid && current.holder === me;
      if (valid && !mine && !deadSibling(current.holder ?? '', this.deps.engineId)) return result(false, current);
      // Never shorter than twice what the caller needs, so a renewal always leaves room to work.
      const untilMs = now + Math.max(seconds * 1000, 2 * minRemainingMs);
      const fields = { U_Holder: me, U_Until: new Date(untilMs).toISOString() };
      if (mine) {
        if (current.untilMs - now > Math.max((seconds * 1000) / 2, minRemainingMs)) return result(true, current);
        // Our own valid term: nobody else may take it before it ends, so updating it is safe.
        await table.update(current.code, fields);
        return result(true, { holder: me, untilMs });
      }
      const next = (current?.number ?? 0) + 1;
      const { inserted } = await table.insert({ Code: codeOf(next), Name: codeOf(next), ...fields });
      if (inserted) {
        await this.prune(next);
        return result(true, { holder: me, untilMs });
      }
      // Another console took this term first (SAP refused our copy of the row): read again and decide on it.
    }
    const latest = toTerm((await table.latest(1))[0]);
    return result(latest?.holder === me && latest.untilMs > clock.now(), latest);
  }

  /** Deletes terms older than the last few; a failure here is harmless and retried at the next take. */
  private async prune(current: number): Promise<void> {
    const table = this.deps.sap.userTable(LEASE_TABLE);
    try {
      for (const row of await table.latest(TERMS_KEPT + 20)) {
        const n = Number(row.Code);
        if (Number.isInteger(n) && n <= current - TERMS_KEPT) await table.remove(row.Code);
      }
    } catch {
      // The old rows are only clutter; the next take prunes again.
    }
  }
}
