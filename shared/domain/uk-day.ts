/** The instant a UK calendar day ('2026-11-30') begins, 00:00 Europe/London (GMT or BST), as ISO. */
export function ukDayStart(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // London's offset that day, read at noon UTC (never near a clock change, which happens at 01:00 UTC).
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hour12: false }).formatToParts(
    new Date(utcMidnight + 12 * 3_600_000),
  );
  const offsetHours = Number(parts.find((p) => p.type === 'hour')?.value ?? 12) - 12;
  return new Date(utcMidnight - offsetHours * 3_600_000).toISOString();
}

/** The day after a UK calendar day. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
