import { useState } from 'react';
import { nextDay, ukDayStart } from '../../../shared/domain/uk-day';

/** A list's time filter: from one UK day, to another (inclusive), and "older than" an age, for what is stuck. */
export interface WhenChoice {
  from: string;
  to: string;
  olderThan: '' | '1h' | '1d' | '3d';
}

export const NO_WHEN: WhenChoice = { from: '', to: '', olderThan: '' };

const AGES: Record<Exclude<WhenChoice['olderThan'], ''>, { label: string; ms: number }> = {
  '1h': { label: 'over an hour', ms: 3_600_000 },
  '1d': { label: 'over a day', ms: 86_400_000 },
  '3d': { label: 'over 3 days', ms: 3 * 86_400_000 },
};

/** The instants the choice asks for: at or after `from`, before `before` (the earlier of the day's end and the age). */
export function whenRange(choice: WhenChoice, now: number): { from?: string; before?: string } {
  const out: { from?: string; before?: string } = {};
  if (choice.from) out.from = ukDayStart(choice.from);
  const bounds: number[] = [];
  if (choice.to) bounds.push(Date.parse(ukDayStart(nextDay(choice.to))));
  if (choice.olderThan) bounds.push(now - AGES[choice.olderThan].ms);
  if (bounds.length) out.before = new Date(Math.min(...bounds)).toISOString();
  return out;
}

export function WhenFilter({ what, value, onChange }: { what: string; value: WhenChoice; onChange: (next: WhenChoice) => void }) {
  return (
    <>
      <label>
        {what} from
        <input type="date" value={value.from} onChange={(e) => onChange({ ...value, from: e.target.value })} />
      </label>
      <label>
        {what} to
        <input type="date" value={value.to} onChange={(e) => onChange({ ...value, to: e.target.value })} />
      </label>
      <label>
        Age
        <select value={value.olderThan} onChange={(e) => onChange({ ...value, olderThan: e.target.value as WhenChoice['olderThan'] })}>
          <option value="">Any age</option>
          {Object.entries(AGES).map(([k, a]) => (
            <option key={k} value={k}>
              {what} {a.label} ago
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

/**
 * The choice and the instants it stands for, fixed when the choice is made: "older than a day" does not move with the
 * clock, so the list is not asked again every second.
 */
export function useWhen(): [{ choice: WhenChoice; range: { from?: string; before?: string } }, (choice: WhenChoice) => void] {
  const [when, setWhen] = useState<{ choice: WhenChoice; range: { from?: string; before?: string } }>({ choice: NO_WHEN, range: {} });
  return [when, (choice) => setWhen({ choice, range: whenRange(choice, Date.now()) })];
}
