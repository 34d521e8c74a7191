/**
 * The daily batch's time is the office's wall clock: UK time (decision 0601), whatever zone the machine running the
 * engine is set to, and whatever the clock port says in milliseconds. Comparing wall-clock times, never offsets,
 * keeps the two DST days right: on the spring day a time the clocks skip (01:30) is passed the moment they jump, and
 * on the autumn day a time that happens twice runs at its first (the day's batch has run by the second).
 */
export const OFFICE_TIME_ZONE = 'Europe/London';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: OFFICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The office's calendar day and time of day at an instant: { day: '2026-11-26', time: '02:00' }. */
export function officeClock(ms: number): { day: string; time: string } {
  const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** The day after an office calendar day. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The first instant of an office day at which the wall clock shows `time` or later: the time itself, or, on the
 * spring day when the clocks skip it, the moment they jump past it.
 */
export function instantOf(day: string, time: string): number {
  const wall = Date.parse(`${day}T${time}:00Z`);
  // The UK is never more than an hour from UTC: the instant lies within two hours of the wall time read as UTC. The
  // first minute there that shows the time or later (a scan, not a bisection: on the autumn day the clock goes back).
  for (let ms = wall - 2 * 3_600_000; ms <= wall + 2 * 3_600_000; ms += 60_000) {
    const c = officeClock(ms);
    if (c.day > day || (c.day === day && c.time >= time)) return ms;
  }
  return wall;
}

/** Whether the daily batch is due at `now`: the office clock has reached `runAt` today and today's batch has not run. */
export function dailyBatchDue(now: number, runAt: string, lastDay: string | null): boolean {
  const { day, time } = officeClock(now);
  return time >= runAt && lastDay !== day;
}

/** When the next daily batch falls: today's time if today's batch has not run, else tomorrow's. */
export function nextDailyBatch(now: number, runAt: string, lastDay: string | null): number {
  const { day } = officeClock(now);
  return lastDay === day ? instantOf(nextDay(day), runAt) : instantOf(day, runAt);
}
