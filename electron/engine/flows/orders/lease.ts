import type { LeaseTerm, Sap } from '../../connectors/ports/sap';
import type { Clock } from '../../ports';
import type { OrdersRepository } from './repository';

/** Terms kept in SAP; older ones are forgotten when a new term is taken, so the lease never piles up rows. */
const TERMS_KEPT = 5;

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

/**
 * The posting lease: one console at a time writes orders for an SAP company. It lives in SAP, because SAP is
 * the one thing every console pointed at the company sees (two PCs do not share a ledger file), as numbered terms
 * of its own (the SAP connector keeps them in a user-defined table), so keeping it never writes to a master record
 * people edit. A term is taken by claiming the next number, which SAP lets exactly one console do; the holder
 * extends its own term while it is valid, which nobody else writes. See docs/decisions/0402-posting-lease-table.md.
 */
export class PostingLease {
  private untilMs = 0;

  constructor(private readonly deps: { sap: Sap; clock: Clock; repo: OrdersRepository; engineId: string; seconds: number }) {}

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
    const result = (held: boolean, view: LeaseView | null) => {
      this.untilMs = held && view ? view.untilMs : 0;
      const out = { held, holder: view?.holder ?? null, until: view ? new Date(view.untilMs).toISOString() : null };
      repo.recordLease({ holder: out.holder, until: out.until, heldByMe: held }, new Date(clock.now()));
      return out;
    };
    // Two passes at most: a term another console took between our read and our claim is read and decided on.
    for (let pass = 1; pass <= 2; pass++) {
      const current: LeaseTerm | null = await sap.lease.latest();
      const now = clock.now();
      const valid = current !== null && current.untilMs > now;
      const mine = valid && current.holder === me;
      if (valid && !mine && !deadSibling(current.holder ?? '', this.deps.engineId)) return result(false, current);
      // Never shorter than twice what the caller needs, so a renewal always leaves room to work.
      const untilMs = now + Math.max(seconds * 1000, 2 * minRemainingMs);
      if (mine) {
        if (current.untilMs - now > Math.max((seconds * 1000) / 2, minRemainingMs)) return result(true, current);
        // Our own valid term: nobody else may take it before it ends, so moving its end is safe.
        await sap.lease.extend({ number: current.number, holder: me, untilMs });
        return result(true, { holder: me, untilMs });
      }
      const next = (current?.number ?? 0) + 1;
      if (await sap.lease.claim({ number: next, holder: me, untilMs })) {
        await sap.lease.forgetBefore(next - TERMS_KEPT + 1).catch(() => undefined);
        return result(true, { holder: me, untilMs });
      }
      // Another console took this term first: read again and decide on it.
    }
    const latest = await sap.lease.latest();
    return result(latest?.holder === me && latest.untilMs > clock.now(), latest);
  }
}
