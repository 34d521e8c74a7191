import { describe, expect, it } from 'vitest';
import { CallGovernor, PUBLISHED_MAXIMA } from '../../../electron/engine/connectors/john-lewis';
import { StockImportPace } from '../../../electron/engine/connectors/john-lewis/stock-pace';
import type { Clock } from '../../../electron/engine/ports';

/** A clock a person sets: read by the governor, moved by the test in either direction. */
function settableClock(start = Date.UTC(2026, 10, 30, 9, 0, 0)): Clock & { set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (ms) => void (now = ms),
    setTimeout: () => ({ id: 0 }),
    clearTimeout: () => undefined,
    sleep: async () => undefined,
  };
}

describe('the marketplace connector when the computer’s clock is set back', () => {
  it('a two-second Retry-After still holds the operation back two seconds, not the ten minutes the clock went back', async () => {
    const clock = settableClock();
    const governor = new CallGovernor(clock, {});
    const done = await governor.acquire('OR11');
    done();
    governor.pause('OR11', 2_000);
    expect(governor.waitTime('OR11')).toBe(2_000);

    clock.set(clock.now() - 10 * 60_000);
    expect(governor.waitTime('OR11')).toBeLessThanOrEqual(2_000);
  });

  it('an operation with a published maximum keeps its spacing, not the jump', async () => {
    const clock = settableClock();
    const governor = new CallGovernor(clock, PUBLISHED_MAXIMA);
    (await governor.acquire('OR11'))();
    expect(governor.waitTime('OR11')).toBe(60_000);
    clock.set(clock.now() - 30 * 60_000);
    expect(governor.waitTime('OR11')).toBeLessThanOrEqual(60_000);
  });

  it('a stock import sent before the clock went back is asked about when it should be done, not the jump later', () => {
    const pace = new StockImportPace();
    const sentAt = Date.UTC(2026, 10, 30, 9, 0, 0);
    pace.sent('import-1', 10, sentAt);
    const setBack = sentAt - 10 * 60_000;
    expect(pace.firstPoll('import-1', setBack) - setBack).toBeLessThan(60_000);
  });
});
