import { describe, expect, it } from 'vitest';
import { dailyBatchDue, instantOf, nextDailyBatch, nextDay, officeClock } from '../../../electron/engine/flows/invoicing/schedule';

const at = (iso: string) => Date.parse(iso);

/** The daily batch's time is UK wall-clock time, on every day of the year, whatever zone the engine's machine is set to. */
describe('invoicing schedule: the office clock', () => {
  it('reads UK time in winter (GMT) and in summer (BST)', () => {
    expect(officeClock(at('2026-12-01T02:00:00Z'))).toEqual({ day: '2026-12-01', time: '02:00' });
    expect(officeClock(at('2026-07-01T01:00:00Z'))).toEqual({ day: '2026-07-01', time: '02:00' });
    expect(officeClock(at('2026-07-01T23:30:00Z'))).toEqual({ day: '2026-07-02', time: '00:30' });
    expect(instantOf('2026-12-01', '02:00')).toBe(at('2026-12-01T02:00:00Z'));
    expect(instantOf('2026-07-01', '02:00')).toBe(at('2026-07-01T01:00:00Z'));
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('is due from the daily time until the day’s batch has run, and not again that day', () => {
    const runAt = '02:00';
    expect(dailyBatchDue(at('2026-12-01T01:59:00Z'), runAt, '2026-11-30')).toBe(false);
    expect(dailyBatchDue(at('2026-12-01T02:00:00Z'), runAt, '2026-11-30')).toBe(true);
    expect(dailyBatchDue(at('2026-12-01T15:00:00Z'), runAt, null)).toBe(true);
    expect(dailyBatchDue(at('2026-12-01T15:00:00Z'), runAt, '2026-12-01')).toBe(false);
    expect(dailyBatchDue(at('2026-12-01T23:59:00Z'), runAt, '2026-12-01')).toBe(false);
    expect(nextDailyBatch(at('2026-12-01T01:00:00Z'), runAt, '2026-11-30')).toBe(at('2026-12-01T02:00:00Z'));
    expect(nextDailyBatch(at('2026-12-01T03:00:00Z'), runAt, '2026-12-01')).toBe(at('2026-12-02T02:00:00Z'));
  });

  it('on the spring day a time the clocks skip is reached the moment they jump past it', () => {
    // 29 March 2026: at 01:00 GMT the clocks go to 02:00 BST; 01:30 never shows.
    expect(officeClock(at('2026-03-29T00:59:00Z')).time).toBe('00:59');
    expect(officeClock(at('2026-03-29T01:00:00Z')).time).toBe('02:00');
    expect(instantOf('2026-03-29', '01:30')).toBe(at('2026-03-29T01:00:00Z'));
    expect(dailyBatchDue(at('2026-03-29T00:59:00Z'), '01:30', '2026-03-28')).toBe(false);
    expect(dailyBatchDue(at('2026-03-29T01:00:00Z'), '01:30', '2026-03-28')).toBe(true);
    // 02:00 falls an hour earlier in UTC than the day before.
    expect(instantOf('2026-03-29', '02:00') - instantOf('2026-03-28', '02:00')).toBe(23 * 3_600_000);
  });

  it('on the autumn day a time that happens twice runs at the first, once', () => {
    // 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT; 01:30 shows twice.
    expect(officeClock(at('2026-10-25T00:30:00Z')).time).toBe('01:30');
    expect(officeClock(at('2026-10-25T01:30:00Z')).time).toBe('01:30');
    expect(instantOf('2026-10-25', '01:30')).toBe(at('2026-10-25T00:30:00Z'));
    expect(dailyBatchDue(at('2026-10-25T00:30:00Z'), '01:30', '2026-10-24')).toBe(true);
    // The batch ran at the first 01:30: the second finds the day done.
    expect(dailyBatchDue(at('2026-10-25T01:30:00Z'), '01:30', '2026-10-25')).toBe(false);
    // 02:00 falls an hour later in UTC than the day before.
    expect(instantOf('2026-10-25', '02:00') - instantOf('2026-10-24', '02:00')).toBe(25 * 3_600_000);
  });
});
