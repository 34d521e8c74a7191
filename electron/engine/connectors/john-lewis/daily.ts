import type { Clock } from '../../ports';
import type { MiraklClient } from './client';
import { isCallDeferred } from './errors';
import type { MarketplaceCallStore } from './store';

const DAY_MS = 24 * 60 * 60_000;

/**
 * A read the marketplace allows once a day (SH21 carrier list, A01 shop profile, SBC11 billing cycles and IV01
 * accounting documents with all their pages), kept in the store with when it
 * was made, so a restarted engine or a second "Test connection" answers from it instead of calling again (or
 * waiting a day for the governor). Refreshed once it is a day old, or on request when the allowance has come round.
 */
export class DailyRead<T> {
  private memo: { readAt: number; value: T } | undefined;
  /** A read under way: callers at the same moment (a connection test reading the profile and the platform's setup) share it. */
  private inflight: Promise<{ value: T; readAt: number }> | undefined;

  constructor(
    private readonly o: {
      /** The store's key and the governor's. */
      operation: string;
      client: MiraklClient;
      clock: Clock;
      store: MarketplaceCallStore;
      fetch: () => Promise<unknown>;
      parse: (body: unknown) => T;
    },
  ) {}

  async get(refresh = false): Promise<{ value: T; readAt: number }> {
    const { clock, client, operation } = this.o;
    const cached = this.cached();
    if (cached && !refresh && clock.now() - cached.readAt < DAY_MS) return cached;
    // Asked again before the allowance came round: the read in hand is the newest the marketplace will give.
    if (cached && refresh && client.governor.waitTime(operation) > 0) return cached;
    this.inflight ??= this.read(cached).finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async read(cached: { readAt: number; value: T } | undefined): Promise<{ value: T; readAt: number }> {
    const { clock, operation } = this.o;
    try {
      const body = await this.o.fetch();
      const readAt = clock.now();
      this.o.store.saveDaily(operation, { readAt, body });
      this.memo = { readAt, value: this.o.parse(body) };
      return this.memo;
    } catch (e) {
      // Older than a day but the marketplace will not answer yet: the last read is the best there is.
      if (cached && isCallDeferred(e)) return cached;
      throw e;
    }
  }

  private cached(): { readAt: number; value: T } | undefined {
    if (!this.memo) {
      const saved = this.o.store.daily(this.o.operation);
      if (saved) this.memo = { readAt: saved.readAt, value: this.o.parse(saved.body) };
    }
    return this.memo;
  }
}
