import type { Clock, TimerHandle } from './ports';

/** The real clock, for hosts. */
export function systemClock(): Clock {
  let next = 1;
  const timers = new Map<number, NodeJS.Timeout>();
  return {
    now: () => Date.now(),
    setTimeout(callback, ms) {
      const id = next++;
      const t = setTimeout(
        () => {
          timers.delete(id);
          callback();
        },
        Math.max(0, ms),
      );
      timers.set(id, t);
      return { id };
    },
    clearTimeout(handle: TimerHandle) {
      const t = timers.get(handle.id);
      if (t) clearTimeout(t);
      timers.delete(handle.id);
    },
    sleep(ms) {
      return new Promise((resolve) => this.setTimeout(resolve, ms));
    },
    monotonic: () => performance.now(),
  };
}

export interface FakeClock extends Clock {
  /** Moves time forward, firing every timer that falls due in order and letting the promises they start settle. */
  advance(ms: number): Promise<void>;
  /** Timers still waiting. */
  pending(): number;
}

/** A clock tests drive by hand, so a day of cadences runs in milliseconds. */
export function fakeClock(startMs = Date.UTC(2026, 10, 26, 9, 0, 0)): FakeClock {
  let now = startMs;
  let next = 1;
  const timers = new Map<number, { at: number; seq: number; callback: () => void }>();
  const settle = async () => {
    // Several macrotask turns let chains of awaits (including real I/O such as SQLite) settle between timers.
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  };
  const clock: FakeClock = {
    now: () => now,
    setTimeout(callback, ms) {
      const id = next++;
      timers.set(id, { at: now + Math.max(0, ms), seq: id, callback });
      return { id };
    },
    clearTimeout(handle) {
      timers.delete(handle.id);
    },
    sleep(ms) {
      return new Promise((resolve) => clock.setTimeout(resolve, ms));
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (;;) {
        let due: [number, { at: number; seq: number; callback: () => void }] | undefined;
        for (const entry of timers) {
          if (entry[1].at <= target && (!due || entry[1].at < due[1].at || (entry[1].at === due[1].at && entry[1].seq < due[1].seq))) due = entry;
        }
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
        await settle();
      }
      now = target;
      await settle();
    },
    pending: () => timers.size,
    // Fake time only moves forward: it is its own clock nobody sets.
    monotonic: () => now,
  };
  return clock;
}
