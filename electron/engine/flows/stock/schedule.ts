/** UK wall-clock time as 'YYYY-MM-DD HH:MM', so reconciliation follows the operator's clock through BST and GMT. */
function ukWallClock(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/**
 * Whether the full reconciliation is due: never done yet, or the daily time (UK, HH:MM) has passed since the
 * last one. The moment it was due is the latest day's HH:MM that is not in the future.
 */
export function reconciliationDue(lastAtIso: string | null, nowMs: number, at: string): boolean {
  if (lastAtIso === null) return true;
  const now = ukWallClock(nowMs);
  const today = now.slice(0, 10);
  const yesterday = ukWallClock(nowMs - 24 * 3_600_000).slice(0, 10);
  const dueMoment = `${now.slice(11) >= at ? today : yesterday} ${at}`;
  return ukWallClock(Date.parse(lastAtIso)) < dueMoment;
}
