import { SettlementSettingsSchema, type SettlementSettings } from '../../../shared/domain/finance';
import { ukDayOf, ukStartOfDay } from '../../format/time';

export type SettlementSettingsPatch = Partial<SettlementSettings>;
type Posting = SettlementSettings['posting'];

/** The Settlement settings form as typed: the day and the SAP codes stay text until they are checked. */
export interface SettlementDraft {
  /** The UK day reading starts from, as a date input holds it ("2026-11-01"); '' for the last 90 days. */
  readFrom: string;
  postingEnabled: boolean;
  supplierCode: string;
  feeAccount: string;
  inputVatGroup: string;
  bankAccount: string;
}

export type SettlementDraftErrors = Partial<Record<keyof SettlementDraft, string>>;

/** The codes posting needs, in the order the form shows them, with how the form names them in a sentence. */
export const POSTING_FIELDS = [
  { field: 'supplierCode', named: 'the supplier code' },
  { field: 'feeAccount', named: 'the fee G/L account' },
  { field: 'inputVatGroup', named: 'the input VAT group' },
  { field: 'bankAccount', named: 'the bank or clearing G/L account' },
] as const satisfies readonly { field: keyof SettlementDraft & keyof Posting; named: string }[];

export function settlementDraftFrom(s: SettlementSettings): SettlementDraft {
  return {
    readFrom: ukDayOf(s.readFrom),
    postingEnabled: s.posting.enabled,
    supplierCode: s.posting.supplierCode ?? '',
    feeAccount: s.posting.feeAccount ?? '',
    inputVatGroup: s.posting.inputVatGroup,
    bankAccount: s.posting.bankAccount ?? '',
  };
}

/** The codes posting needs that the draft leaves empty, as the form names them. */
export function missingForPosting(draft: SettlementDraft): string[] {
  return POSTING_FIELDS.filter(({ field }) => !draft[field].trim()).map(({ named }) => named);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const posting = SettlementSettingsSchema.shape.posting.unwrap().shape;

const FORMAT_ERRORS: Record<(typeof POSTING_FIELDS)[number]['field'], string> = {
  supplierCode: 'The marketplace’s Business Partner code in SAP: up to 15 characters (e.g. V-JLM).',
  feeAccount: 'A G/L account code as SAP shows it: up to 15 characters (e.g. 6100).',
  inputVatGroup: 'An SAP VAT group code: up to 8 characters (e.g. I1).',
  bankAccount: 'A G/L account code as SAP shows it: up to 15 characters (e.g. 1020).',
};

/**
 * Checks the form with the settings' own rules — and that posting is never switched on without every code it posts
 * with — then builds a patch of only what changed (posting, when any of it changed, whole), or says what is wrong.
 * The engine checks the patch again and names the field it refuses.
 */
export function settlementPatchFrom(
  current: SettlementSettings,
  draft: SettlementDraft,
  today: string,
): { ok: true; patch: SettlementSettingsPatch | null } | { ok: false; errors: SettlementDraftErrors } {
  const errors: SettlementDraftErrors = {};
  const day = draft.readFrom.trim();
  if (day && !(DAY.test(day) && ukDayOf(ukStartOfDay(day)) === day)) errors.readFrom = 'A date, e.g. 1 November 2026; or empty for the last 90 days.';
  // Cycles ending after a day to come have not ended yet: nothing would be read until then.
  else if (day > today) errors.readFrom = 'Choose today or a day before it.';

  const codes = {
    supplierCode: draft.supplierCode.trim() || null,
    feeAccount: draft.feeAccount.trim() || null,
    inputVatGroup: draft.inputVatGroup.trim(),
    bankAccount: draft.bankAccount.trim() || null,
  };
  for (const { field } of POSTING_FIELDS) {
    const value = codes[field];
    if (!posting[field].safeParse(value).success) errors[field] = FORMAT_ERRORS[field];
    // The VAT group has a value even while posting is off (I1 by default): an empty one is never kept.
    else if (!value && field === 'inputVatGroup') errors[field] = 'The VAT group of the commission’s VAT: I1 unless your SAP uses another.';
    else if (!value && draft.postingEnabled) errors[field] = 'Needed while posting to SAP is switched on.';
  }
  if (draft.postingEnabled && missingForPosting(draft).length) errors.postingEnabled = 'Posting cannot be on while a code it posts with is empty.';
  if (Object.keys(errors).length) return { ok: false, errors };

  const patch: SettlementSettingsPatch = {};
  // The form shows the UK day of what the engine holds: an unchanged day sends nothing, whatever form it is kept in.
  if (day !== ukDayOf(current.readFrom)) patch.readFrom = day || null;
  const next: Posting = { enabled: draft.postingEnabled, ...codes };
  const was = current.posting;
  if (
    next.enabled !== was.enabled ||
    next.supplierCode !== was.supplierCode ||
    next.feeAccount !== was.feeAccount ||
    next.inputVatGroup !== was.inputVatGroup ||
    next.bankAccount !== was.bankAccount
  ) {
    // The engine replaces a nested group whole, so posting goes with every field.
    patch.posting = next;
  }
  return { ok: true, patch: Object.keys(patch).length ? patch : null };
}
