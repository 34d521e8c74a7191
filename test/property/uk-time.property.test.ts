import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { londonDay } from '../../electron/engine/flows/orders/draft';
import { dailyBatchDue, instantOf, nextDailyBatch, nextDay as officeNextDay, officeClock } from '../../electron/engine/flows/invoicing/schedule';
import { ukDay, ukMonth } from '../../electron/engine/flows/settlement/lines';
import { nextDay, ukDayStart } from '../../shared/domain/uk-day';
import { calendarDay, instant, RUNS } from './arbitraries';

const HOUR = 3_600_000;
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

describe('UK days and times (the office’s calendar, GMT and BST)', () => {
  it('a UK day begins at its own midnight, and the next one 23, 24 or 25 hours later (the clock changes)', () => {
    fc.assert(
      fc.property(calendarDay, (day) => {
        const start = Date.parse(ukDayStart(day));
        expect(officeClock(start)).toEqual({ day, time: '00:00' });
        expect(officeClock(start - 60_000).day).not.toBe(day);
        const length = Date.parse(ukDayStart(nextDay(day))) - start;
        expect([23 * HOUR, 24 * HOUR, 25 * HOUR]).toContain(length);
        expect(nextDay(day)).toBe(officeNextDay(day));
        expect(nextDay(day) > day).toBe(true);
      }),
      // The clock changes of 2026 always, beside the random days.
      { ...RUNS, examples: [['2026-03-29'], ['2026-10-25'], ['2026-03-28'], ['2026-10-26']] },
    );
  });

  it('every instant has one UK day, the same by every helper, and its month is that day’s', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const iso = new Date(ms).toISOString();
        const { day } = officeClock(ms);
        expect(ukDay(iso)).toBe(day);
        expect(londonDay(iso)).toBe(day);
        expect(ukMonth(iso)).toBe(day.slice(0, 7));
        expect(Date.parse(ukDayStart(day))).toBeLessThanOrEqual(ms);
        expect(Date.parse(ukDayStart(nextDay(day)))).toBeGreaterThan(ms);
      }),
      RUNS,
    );
  });

  it('a time of day on a day is the first instant the office clock shows it or later (the spring gap passes at the jump)', () => {
    fc.assert(
      fc.property(calendarDay, time, (day, t) => {
        const at = instantOf(day, t);
        const c = officeClock(at);
        expect(c.day === day ? c.time >= t : c.day > day).toBe(true);
        const before = officeClock(at - 60_000);
        expect(before.day < day || (before.day === day && before.time < t)).toBe(true);
      }),
      RUNS,
    );
  });

  it('the daily batch: due exactly when the clock has reached its time and today’s has not run; the next one is never in the past', () => {
    fc.assert(
      fc.property(instant, time, fc.boolean(), (now, runAt, ranToday) => {
        const today = officeClock(now).day;
        const lastDay = ranToday ? today : null;
        const due = dailyBatchDue(now, runAt, lastDay);
        expect(due).toBe(!ranToday && officeClock(now).time >= runAt);
        const next = nextDailyBatch(now, runAt, lastDay);
        if (!due) expect(next).toBeGreaterThan(now - 60_000);
        if (ranToday) expect(officeClock(next).day > today).toBe(true);
      }),
      RUNS,
    );
  });

  it('anything that is not a date is no day rather than a wrong one', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('100', '99999', 'not a date', '2026-02-30', '')), (text) => {
        const ms = Date.parse(text);
        expect(londonDay(text)).toBe(Number.isNaN(ms) ? undefined : officeClock(ms).day);
        expect(ukMonth(text)).toBe(Number.isNaN(ms) ? null : officeClock(ms).day.replace(/-\d+$/, ''));
      }),
      RUNS,
    );
  });
});
