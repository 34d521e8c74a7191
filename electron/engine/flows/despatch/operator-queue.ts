/** How a queued order's turn ended: handled by a run (with the technical error that stopped it, if any), or replaced by a newer correction. */
export type Turn = { kind: 'handled'; error: string | null } | { kind: 'superseded' };

export interface Waiter {
  since: string;
  /** When it is expected to go, once it had to wait (null: the engine cannot tell). */
  sendsAt: string | null;
  /** Resolves when a run has handled the order (or a newer correction replaced this one). */
  readonly turn: Promise<Turn>;
  done: boolean;
}

/**
 * The orders a person has just acted on (a despatch correction) and is waiting to hear about. Each despatch run
 * handles them first, reading each order at once under the marketplace's allowance for an operator's action; the
 * command that queued one waits for its turn up to its answer budget, or answers "queued" and hears of it later.
 * One entry per order at most, removed once its outcome is told.
 */
export class OperatorQueue {
  private readonly waiting = new Map<string, Waiter & { end(turn: Turn): void }>();
  /**
   * Where the despatch run in flight is: once past its operator step ('rest'), a new correction waits for the next
   * run; 'list-read' while that run reads orders through the marketplace's order-list window (which may take a minute).
   */
  phase: 'idle' | 'operator' | 'rest' | 'list-read' = 'idle';

  add(orderId: string, at: Date): Waiter {
    this.waiting.get(orderId)?.end({ kind: 'superseded' });
    let end!: (turn: Turn) => void;
    const turn = new Promise<Turn>((resolve) => (end = resolve));
    const waiter = {
      since: at.toISOString(),
      sendsAt: null as string | null,
      turn,
      done: false,
      end(t: Turn) {
        if (waiter.done) return;
        waiter.done = true;
        end(t);
      },
    };
    this.waiting.set(orderId, waiter);
    return waiter;
  }

  /** Orders still waiting for a run to handle them. */
  orderIds(): string[] {
    return [...this.waiting].filter(([, w]) => !w.done).map(([id]) => id);
  }

  isWaiting(orderId: string): boolean {
    const w = this.waiting.get(orderId);
    return !!w && !w.done;
  }

  /** A run has handled the order (its outcome is in the ledger). */
  handled(orderId: string, error: string | null = null): void {
    this.waiting.get(orderId)?.end({ kind: 'handled', error });
  }

  /** Gives up waiting (the runs ended without reaching it). */
  expire(waiter: Waiter, error: string): void {
    for (const w of this.waiting.values()) if (w === waiter) w.end({ kind: 'handled', error });
  }

  /** For the console: accepted and waiting its turn. */
  sending(orderId: string): { since: string; sendsAt: string | null } | null {
    const w = this.waiting.get(orderId);
    return w ? { since: w.since, sendsAt: w.sendsAt } : null;
  }

  /** Its outcome has been told. */
  drop(orderId: string, waiter: Waiter): void {
    if (this.waiting.get(orderId) === waiter) this.waiting.delete(orderId);
  }
}
