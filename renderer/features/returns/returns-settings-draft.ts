import { ReturnsSettingsSchema, type ReturnsSettings } from '../../../shared/domain/finance';
import { ukDayOf, ukStartOfDay } from '../../format/time';

export type ReturnsSettingsPatch = Partial<ReturnsSettings>;
export type Acceptance = 'automatic' | 'person';

/** The Returns settings form as typed: the warehouse code and the first read's day stay text until they are checked. */
export interface ReturnsDraft {
  acceptance: Acceptance;
  receivedBy: ReturnsSettings['receivedBy'];
  /** An SAP warehouse code; '' when none is chosen. */
  warehouse: string;
  /** The UK day the first read starts from, as a date input holds it ("2026-11-01"); '' for the last 30 days. */
  readFrom: string;
}

export type ReturnsDraftErrors = Partial<Record<keyof ReturnsDraft, string>>;

export function returnsDraftFrom(s: ReturnsSettings): ReturnsDraft {
  return {
    acceptance: s.autoAccept ? 'automatic' : 'person',
    receivedBy: s.receivedBy,
    warehouse: s.warehouse ?? '',
    readFrom: ukDayOf(s.readFrom),
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks the form with the settings' own rules and builds a patch of only what changed, or says what is wrong. The
 * engine checks the patch again and names the field it refuses.
 */
export function returnsPatchFrom(
  current: ReturnsSettings,
  draft: ReturnsDraft,
  today: string,
): { ok: true; patch: ReturnsSettingsPatch | null } | { ok: false; errors: ReturnsDraftErrors } {
  const errors: ReturnsDraftErrors = {};
  const warehouse = draft.warehouse.trim() || null;
  if (!ReturnsSettingsSchema.shape.warehouse.safeParse(warehouse).success)
    errors.warehouse = 'An SAP warehouse code: up to 8 letters, digits, - or _ (e.g. RET or 99).';
  const day = draft.readFrom.trim();
  if (day && !(DAY.test(day) && ukDayOf(ukStartOfDay(day)) === day)) errors.readFrom = 'A date, e.g. 1 November 2026; or empty for the last 30 days.';
  // Nothing changed after it is there to read yet: a first read from a day to come would find nothing until then.
  else if (day > today) errors.readFrom = 'Choose today or a day before it.';
  if (Object.keys(errors).length) return { ok: false, errors };

  const patch: ReturnsSettingsPatch = {};
  const autoAccept = draft.acceptance === 'automatic';
  if (autoAccept !== current.autoAccept) patch.autoAccept = autoAccept;
  if (draft.receivedBy !== current.receivedBy) patch.receivedBy = draft.receivedBy;
  if (warehouse !== current.warehouse) patch.warehouse = warehouse;
  // The engine keeps an instant; the form shows its UK day, so an unchanged day sends nothing even if the instant is not midnight.
  if (day !== ukDayOf(current.readFrom)) patch.readFrom = day ? ukStartOfDay(day) : null;
  return { ok: true, patch: Object.keys(patch).length ? patch : null };
}
