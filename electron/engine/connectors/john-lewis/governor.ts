import type { Clock } from '../../ports';
import type { RateWindow } from './limits';

/**
 * Keeps every operation under its published maximum, for every flow at once: all calls of one connector go
 * through one governor, and callers of the same operation queue in order. Time comes from the injected clock.
 */
export class CallGovernor {
  /** Per operation, when each call counted; updated to the answer's time so network delay never squeezes two calls together at the server. */
  private readonly calls = new Map<string, { at: number }[]>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly pausedUntil = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: Readonly<Record<string, readonly RateWindow[]>>,
  ) {}

  /** Resolves when a call of `operation` may be sent now, and counts it; call the returned function when the answer arrives. */
  acquire(operation: string): Promise<() => void> {
    const previous = this.queues.get(operation) ?? Promise.resolve();
    const turn = previous.then(() => this.waitForSlot(operation));
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

  /** The server said to wait (429 Retry-After): no flow calls this operation before then. */
  pause(operation: string, ms: number): void {
    const until = this.clock.now() + ms;
    this.pausedUntil.set(operation, Math.max(until, this.pausedUntil.get(operation) ?? 0));
  }

  /** Milliseconds until a call of `operation` would be allowed (0 = now). */
  waitTime(operation: string): number {
    const now = this.clock.now();
    let wait = Math.max(0, (this.pausedUntil.get(operation) ?? 0) - now);
    const history = (this.calls.get(operation) ?? []).map((c) => c.at);
    for (const window of this.limits[operation] ?? []) {
      const inWindow = history.filter((t) => t > now - window.windowMs);
      if (inWindow.length >= window.limit) {
        const oldestThatCounts = inWindow[inWindow.length - window.limit]!;
        wait = Math.max(wait, oldestThatCounts + window.windowMs - now);
      }
    }
    return wait;
  }

  private async waitForSlot(operation: string): Promise<() => void> {
    for (;;) {
      const wait = this.waitTime(operation);
      if (wait <= 0) break;
      await this.clock.sleep(wait);
    }
    const history = this.calls.get(operation) ?? [];
    const now = this.clock.now();
    const longest = Math.max(0, ...(this.limits[operation] ?? []).map((w) => w.windowMs));
    const entry = { at: now };
    this.calls.set(operation, [...history.filter((c) => c.at > now - longest), entry]);
    return () => {
      entry.at = Math.max(entry.at, this.clock.now());
    };
  }
}
