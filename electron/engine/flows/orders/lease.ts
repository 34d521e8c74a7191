import { SapConcurrencyError, type SapConnector } from '../../connectors/sap-b1';
import type { Clock } from '../../ports';
import type { OrdersRepository } from './repository';

/** The business partner UDF (OCRD) that holds the posting lease: "<engine id>|<ISO expiry>". */
export const LEASE_FIELD = 'JLM_PostLease';

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

export function parseLease(value: unknown): LeaseView | null {
  if (typeof value !== 'string' || !value.includes('|')) return null;
  const [holder, until] = value.split('|');
  const untilMs = Date.parse(until ?? '');
  return holder && !Number.isNaN(untilMs) ? { holder, untilMs } : null;
}

/** How many compare-and-set attempts a take or renewal makes when the business partner keeps changing under it. */
const CAS_ATTEMPTS = 3;

/**
 * The posting lease: one console at a time writes orders for an SAP company. It lives in SAP, on the
 * marketplace business partner, because SAP is the one thing every console pointed at the company sees (two
 * PCs do not share a ledger file). Where the Service Layer versions business partners (10.0 FP 2102+: an
 * ETag comes with the read), taking or renewing is a compare-and-set — PATCH with If-Match, and a 412/-2039
 * means another write landed since our read. An older Service Layer sends no ETag and ignores If-Match, so
 * there the take is confirmed by reading it back after a settle time longer than our own read-to-write
 * time: of two consoles racing, only the last writer still sees itself (docs/decisions/0401-orders-exactly-once.md).
 */
export class PostingLease {
  private untilMs = 0;

  constructor(
    private readonly deps: { sap: SapConnector; clock: Clock; repo: OrdersRepository; engineId: string; cardCode: string; seconds: number; settleMs: number },
  ) {}

  /** True while this engine holds the lease with at least `marginMs` left. */
  holds(marginMs = 0): boolean {
    return this.untilMs - this.deps.clock.now() > marginMs;
  }

  /**
   * Takes or renews the lease so that at least `minRemainingMs` of it is left (default: half its length); false
   * when another console holds it (or the take could not be confirmed).
   */
  async acquire(minRemainingMs = 0): Promise<{ held: boolean; holder: string | null; until: string | null }> {
    const { sap, clock, cardCode, seconds, settleMs, repo } = this.deps;
    const engineId = instanceName(this.deps.engineId);
    const field = `U_${LEASE_FIELD}`;
    const result = (held: boolean, view: LeaseView | null) => {
      this.untilMs = held && view ? view.untilMs : 0;
      const out = { held, holder: view?.holder ?? null, until: view ? new Date(view.untilMs).toISOString() : null };
      repo.recordLease({ holder: out.holder, until: out.until, heldByMe: held }, new Date(clock.now()));
      return out;
    };
    for (let attempt = 1; ; attempt++) {
      const started = clock.now();
      const { entity, etag } = await sap.businessPartnerWithEtag(cardCode);
      const current = parseLease(entity[field]);
      const now = clock.now();
      const mineAndValid = current?.holder === engineId && current.untilMs > now;
      if (current && !mineAndValid && current.untilMs > now && !deadSibling(current.holder ?? '', this.deps.engineId)) return result(false, current);
      const renewBelow = Math.max((seconds * 1000) / 2, minRemainingMs);
      // Also how a compare-and-set whose answer was lost shows itself: the re-read finds our own fresh write.
      if (mineAndValid && current.untilMs - now > renewBelow) return result(true, current);
      // Never shorter than twice what the caller needs, so a renewal always leaves room to work.
      const mine: LeaseView = { holder: engineId, untilMs: now + Math.max(seconds * 1000, 2 * minRemainingMs) };
      const changes = { [field]: `${engineId}|${new Date(mine.untilMs).toISOString()}` };

      if (etag) {
        // Out of attempts: the partner kept changing under us (someone editing it in SAP); try again next run.
        if (attempt > CAS_ATTEMPTS) return result(false, current);
        try {
          // No retry on -2039: a stale ETag means another write landed since our read, and resending the same
          // If-Match cannot succeed. A transient failure is still retried (the same If-Match cannot apply twice).
          await sap.patch('BusinessPartners', cardCode, changes, { ifMatch: etag, retryOnConflict: false });
          return result(true, mine);
        } catch (e) {
          if (!(e instanceof SapConcurrencyError)) throw e;
          // Someone wrote first: read again. Another console's lease → not held; an unrelated edit of the
          // partner, or our own write whose answer was lost → decided on the next pass.
          continue;
        }
      }

      await sap.patch('BusinessPartners', cardCode, changes);
      // Renewing a lease nobody else could take while it was valid needs no confirmation.
      if (mineAndValid) return result(true, mine);
      if (clock.now() - started > settleMs / 2) return result(false, current);
      await clock.sleep(settleMs);
      const after = parseLease((await sap.businessPartner(cardCode))[field]);
      return result(after?.holder === engineId, after);
    }
  }
}
