import type { DespatchSettings } from '../../../shared/domain/despatch';

export type CarrierFrom = DespatchSettings['carrierSource']['from'];

/** The Despatch settings form as typed: numbers stay text until they are checked, so a half-typed value is never sent. */
export interface DespatchDraft {
  carrierFrom: CarrierFrom;
  /** Kept while "shipping type" is chosen, so switching back and forth does not lose the name typed. */
  udfName: string;
  confirmWithinHours: string;
  deadlineWarningHours: string;
  overlapMinutes: string;
}

export type DespatchDraftErrors = Partial<Record<keyof DespatchDraft, string>>;
export type DespatchSettingsPatch = Partial<DespatchSettings>;

// The same rule SAP and the engine apply to a user-defined field name (without U_).
const UDF_NAME = /^[A-Za-z][A-Za-z0-9_]{0,17}$/;
const HOURS = { min: 0.25, max: 72 };

export function despatchDraftFrom(s: DespatchSettings): DespatchDraft {
  return {
    carrierFrom: s.carrierSource.from,
    udfName: s.carrierSource.from === 'udf' ? s.carrierSource.name : '',
    confirmWithinHours: String(s.watchdogs.confirmWithinHours),
    deadlineWarningHours: String(s.watchdogs.deadlineWarningHours),
    overlapMinutes: String(s.overlapMinutes),
  };
}

function udfNameError(name: string): string | undefined {
  if (!name) return 'Enter the name of the field on the Delivery Note where the warehouse types the carrier.';
  // The commonest slip: the name as SAP shows it in queries, with its U_ prefix.
  if (/^U_/i.test(name)) return `Leave out the U_: enter ${name.slice(2) || 'the rest of the name'}.`;
  if (!UDF_NAME.test(name)) return 'Letters, digits and _ (up to 18), starting with a letter.';
  return undefined;
}

function hoursFrom(text: string, field: 'confirmWithinHours' | 'deadlineWarningHours', errors: DespatchDraftErrors): number | null {
  const t = text.trim();
  const n = /^\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
  if (Number.isNaN(n) || n < HOURS.min || n > HOURS.max) {
    errors[field] = 'Hours from 0.25 to 72, e.g. 2 or 1.5.';
    return null;
  }
  return n;
}

/**
 * Checks the form and builds a patch of only what changed, or says what is wrong. The engine checks everything
 * again and names the field it refuses; these checks only save a round trip for a value it would refuse anyway.
 */
export function despatchPatchFrom(
  current: DespatchSettings,
  draft: DespatchDraft,
): { ok: true; patch: DespatchSettingsPatch | null } | { ok: false; errors: DespatchDraftErrors } {
  const errors: DespatchDraftErrors = {};
  const udfName = draft.udfName.trim();
  if (draft.carrierFrom === 'udf') {
    const e = udfNameError(udfName);
    if (e) errors.udfName = e;
  }
  const confirmWithinHours = hoursFrom(draft.confirmWithinHours, 'confirmWithinHours', errors);
  const deadlineWarningHours = hoursFrom(draft.deadlineWarningHours, 'deadlineWarningHours', errors);
  const overlapText = draft.overlapMinutes.trim();
  const overlapMinutes = /^\d+$/.test(overlapText) ? Number(overlapText) : NaN;
  if (!(overlapMinutes >= 1 && overlapMinutes <= 60)) errors.overlapMinutes = 'Whole minutes from 1 to 60.';
  if (Object.keys(errors).length) return { ok: false, errors };

  const patch: DespatchSettingsPatch = {};
  const carrierSource: DespatchSettings['carrierSource'] = draft.carrierFrom === 'udf' ? { from: 'udf', name: udfName } : { from: 'shipping-type' };
  const was = current.carrierSource;
  if (carrierSource.from !== was.from || (carrierSource.from === 'udf' && was.from === 'udf' && carrierSource.name !== was.name))
    patch.carrierSource = carrierSource;
  if (overlapMinutes !== current.overlapMinutes) patch.overlapMinutes = overlapMinutes;
  // The engine replaces the watchdogs group whole, so a change to either threshold sends both.
  const watchdogs = { confirmWithinHours: confirmWithinHours!, deadlineWarningHours: deadlineWarningHours! };
  if (watchdogs.confirmWithinHours !== current.watchdogs.confirmWithinHours || watchdogs.deadlineWarningHours !== current.watchdogs.deadlineWarningHours)
    patch.watchdogs = watchdogs;
  return { ok: true, patch: Object.keys(patch).length ? patch : null };
}
