import type { Clock } from '../../ports';
import { CallDeferredError } from './errors';
import { furtherPages, PAGES_COUNTED_FOR_MS, type RateWindow } from './limits';
import { memoryCallStore, type CallFinding, type MarketplaceCallStore } from './store';

/** The finding's name for "the marketplace counts every page of `operation`'s listings". */
const pagesCounted = (operation: string) => `${operation}-pages-counted`;

/** The longest a call waits for its slot inside a run (RT11's five-minute window); a longer wait ends the step instead. */
export const DEFAULT_MAX_WAIT_MS = 5 * 60_000;

export interface CallGovernorOptions {
  /** Where the calls are kept across restarts; in memory when absent. */
  store?: MarketplaceCallStore;
  /** Waits longer than this are not slept through: the call fails at once with CallDeferredError. */
  maxWaitMs?: number;
}

interface OperationWindow {
  /** When each call counted; updated to the answer's time so network delay never squeezes two calls together at the server. */
  calls: { at: number }[];
  /** The marketplace said to wait (429 Retry-After) until then. */
  pausedUntil: number;
}

/** "a day", "every 5 minutes", "a minute". */
function every(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms % size === 0) return ms === size ? `a ${name}` : `every ${ms / size} ${name}s`;
  }
  return `every ${ms} ms`;
}

/**
 * Keeps every operation under its published maximum, for every flow at once: all calls of one connector go
 * through one governor, and callers of the same operation queue in order. Time comes from the injected clock.
 * The calls that still count are kept in the store, so a restarted engine knows what it already spent; a wait
 * longer than a run may take (a once-a-day operation, a long Retry-After) is never slept through: the call fails
 * at once with CallDeferredError saying when it will be allowed. Operations without a published maximum
 * (any key not in `limits`) are only held back by a server-given wait.
 */
export class CallGovernor {
  private readonly windows = new Map<string, OperationWindow>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly store: MarketplaceCallStore;
  private readonly maxWaitMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly limits: Readonly<Record<string, readonly RateWindow[]>>,
    options: CallGovernorOptions = {},
  ) {
    this.store = options.store ?? memoryCallStore();
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  }

  /**
   * Resolves when a call of `operation` may be sent now, and counts it; call the returned function when the answer
   * arrives. Rejects with CallDeferredError when that would be more than the longest wait a run takes.
   */
  acquire(operation: string, reportedAs = operation): Promise<() => void> {
    const previous = this.queues.get(operation) ?? Promise.resolve();
    const turn = previous.then(() => this.waitForSlot(operation, reportedAs));
    // A failed wait must not block the queue behind it.
    this.queues.set(
      operation,
      turn.then(
        () => undefined,
        () => undefined,
      ),
    );
    return turn;
  }

  /** The server said to wait (429 Retry-After): no flow calls this operation before then, not even after a restart. */
  pause(operation: string, ms: number): void {
    const w = this.window(operation);
    w.pausedUntil = Math.max(this.clock.now() + ms, w.pausedUntil);
    this.save(operation, w);
  }

  /**
   * The governor key of a follow-on page of an `operation` listing (OR11): its own key, free of the operation's
   * maximum, unless the marketplace has shown that it counts every page — then the operation's own key.
   */
  pageKey(operation: 'OR11'): string {
    return this.pagesCounted(operation) ? operation : furtherPages(operation);
  }

  /** Since when and until when every page of `operation`'s listings counts against its maximum (null: only the first). */
  pagesCounted(operation: string): CallFinding | null {
    const finding = this.store.finding(pagesCounted(operation));
    return finding && finding.until > this.clock.now() ? finding : null;
  }

  /**
   * The marketplace refused a follow-on page (429): from now on every page of `operation`'s listings counts against
   * its maximum, across restarts, for `PAGES_COUNTED_FOR_MS`. Returns true when this is news.
   */
  countPages(operation: string, detail: string): boolean {
    const known = this.pagesCounted(operation);
    const now = this.clock.now();
    this.store.saveFinding(pagesCounted(operation), { since: known?.since ?? now, until: now + PAGES_COUNTED_FOR_MS, detail });
    return !known;
  }

  /** Milliseconds until a call of `operation` would be allowed (0 = now). */
  waitTime(operation: string): number {
    const now = this.clock.now();
    const w = this.window(operation);
    let wait = Math.max(0, w.pausedUntil - now);
    const history = w.calls.map((c) => c.at);
    for (const window of this.limits[operation] ?? []) {
      const inWindow = history.filter((t) => t > now - window.windowMs);
      if (inWindow.length >= window.limit) {
        const oldestThatCounts = inWindow[inWindow.length - window.limit]!;
        wait = Math.max(wait, oldestThatCounts + window.windowMs - now);
      }
    }
    return wait;
  }

  /** A wait this long would be slept through inside a run (false: the call would be deferred). */
  fitsInRun(waitMs: number): boolean {
    return waitMs <= this.maxWaitMs;
  }

  private async waitForSlot(operation: string, reportedAs: string): Promise<() => void> {
    for (;;) {
      const wait = this.waitTime(operation);
      if (wait <= 0) break;
      if (!this.fitsInRun(wait)) throw this.deferred(operation, reportedAs, wait);
      await this.clock.sleep(wait);
    }
    const w = this.window(operation);
    const now = this.clock.now();
    const longest = Math.max(0, ...(this.limits[operation] ?? []).map((x) => x.windowMs));
    const entry = { at: now };
    w.calls = [...w.calls.filter((c) => c.at > now - longest), entry];
    this.save(operation, w);
    return () => {
      entry.at = Math.max(entry.at, this.clock.now());
      this.save(operation, w);
    };
  }

  private deferred(operation: string, reportedAs: string, wait: number): CallDeferredError {
    const now = this.clock.now();
    const w = this.window(operation);
    const byServer = w.pausedUntil - now >= wait;
    // The window that holds the call back longest is the one to name.
    let limit: RateWindow | undefined;
    let longest = 0;
    for (const x of this.limits[operation] ?? []) {
      const inWindow = w.calls.filter((c) => c.at > now - x.windowMs);
      const until = inWindow.length >= x.limit ? inWindow[inWindow.length - x.limit]!.at + x.windowMs - now : 0;
      if (until > longest) [limit, longest] = [x, until];
    }
    const why =
      byServer || !limit
        ? 'the marketplace answered 429 and asked to wait until then'
        : `the marketplace allows ${limit.limit} ${limit.limit === 1 ? 'call' : 'calls'} ${every(limit.windowMs)}`;
    return new CallDeferredError(reportedAs, operation, now + wait, now, byServer ? 429 : null, why);
  }

  private window(operation: string): OperationWindow {
    let w = this.windows.get(operation);
    if (!w) {
      const saved = this.store.window(operation);
      w = { calls: saved.calls.map((at) => ({ at })), pausedUntil: saved.pausedUntil ?? 0 };
      this.windows.set(operation, w);
    }
    this.followClockBack(w);
    return w;
  }

  /**
   * A call counted later than now means the computer's clock was set back (by a person, or NTP after a drift): the
   * window's times move back with it, so a two-second Retry-After does not hold the operation back for as long as
   * the clock jumped, nor a run sleep through it.
   */
  private followClockBack(w: OperationWindow): void {
    const now = this.clock.now();
    const latest = w.calls.reduce((max, c) => Math.max(max, c.at), 0);
    if (latest <= now) return;
    const shift = latest - now;
    for (const c of w.calls) c.at -= shift;
    if (w.pausedUntil > 0) w.pausedUntil -= shift;
  }

  /** Only what can hold a later call back is kept: operations with a published maximum, and server-given waits. */
  private save(operation: string, w: OperationWindow): void {
    if (!this.limits[operation]?.length && w.pausedUntil <= this.clock.now()) return;
    this.store.saveWindow(operation, { calls: w.calls.map((c) => c.at), pausedUntil: w.pausedUntil > 0 ? w.pausedUntil : null });
  }
}
