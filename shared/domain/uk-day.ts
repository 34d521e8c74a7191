const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** UK wall-clock time as 'YYYY-MM-DD HH:MM' (GMT or BST, as the office's clocks read). */
export function ukWallClock(ms: number): string {
  const p = Object.fromEntries(londonClock.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * The instant a UK calendar day ('2026-11-30') begins, 00:00 Europe/London (GMT or BST), as ISO. London is UTC or an
 * hour ahead of it, so the day begins at its UTC midnight or the hour before: the one at which London's clock reads
 * 00:00 on that day. On the two clock-change days the offset at midnight is not the day's later one.
 */
export function ukDayStart(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  for (const at of [utcMidnight - 3_600_000, utcMidnight]) if (ukWallClock(at) === `${day} 00:00`) return new Date(at).toISOString();
  return new Date(utcMidnight).toISOString();
}

/** The day after a UK calendar day. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
