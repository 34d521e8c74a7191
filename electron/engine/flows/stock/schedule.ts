import { ukWallClock } from '../../../../shared/domain/uk-day';

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
