/** Times as an office in the UK reads them: 24-hour clock, day and month, relative where that is what matters. */

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
  timeZone: 'Europe/London',
});

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dateTime.format(t);
}

const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });

/** "16 Nov 2026", the UK calendar day of an instant (a bare date "2026-11-16" is that day). */
export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso);
  return Number.isNaN(t) ? iso : day.format(t);
}

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "November 2026" for "2026-11". */
export function formatMonth(month: string): string {
  const t = Date.parse(`${month}-15T00:00:00Z`);
  return Number.isNaN(t) ? month : monthName.format(t);
}

const timeOfDay = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Europe/London' });

/** "17:25", UK time: when something queued is expected to go. */
export function formatTimeOfDay(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : timeOfDay.format(t);
}

/** "45 s", "12 min", "3 h", "2 d": coarse enough to read at a glance. */
export function formatSpan(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

/** "3 min ago" / "in 3 h" relative to now. */
export function formatRelative(iso: string | null, now: number): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const delta = t - now;
  if (Math.abs(delta) < 1000) return 'now';
  return delta > 0 ? `in ${formatSpan(delta)}` : `${formatSpan(delta)} ago`;
}

export type DeadlineUrgency = 'none' | 'later' | 'soon' | 'overdue';

/** Deadlines within 6 hours are "soon": enough notice to pick, pack and despatch the same shift. */
export const DEADLINE_SOON_MS = 6 * 3600_000;

export function deadline(iso: string | null, now: number): { text: string; urgency: DeadlineUrgency } {
  if (!iso) return { text: '—', urgency: 'none' };
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return { text: iso, urgency: 'none' };
  if (t <= now) return { text: `overdue ${formatSpan(now - t)}`, urgency: 'overdue' };
  return { text: `in ${formatSpan(t - now)}`, urgency: t - now <= DEADLINE_SOON_MS ? 'soon' : 'later' };
}

export function formatDuration(startIso: string, endIso: string | null, now: number): string {
  const start = Date.parse(startIso);
  const end = endIso ? Date.parse(endIso) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return '—';
  const ms = Math.max(0, end - start);
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : formatSpan(ms);
}

export function formatCadence(seconds: number): string {
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

const officeDay = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Europe/London' });

/** The UK calendar day of an instant, as a date input holds it ("2026-11-01"); '' when there is none. */
export function ukDayOf(iso: string | null): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : officeDay.format(t);
}

/** The instant a UK calendar day begins: midnight GMT in winter, 23:00 UTC the day before in summer (BST); '' for no such day. */
export function ukStartOfDay(day: string): string {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(utcMidnight)) return '';
  // The clocks change at 01:00 UTC, so midnight in the UK always exists once: it is midnight UTC or an hour before.
  const bst = utcMidnight - 3_600_000;
  return new Date(ukDayOf(new Date(bst).toISOString()) === day ? bst : utcMidnight).toISOString();
}
