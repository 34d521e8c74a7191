import { InvoicingSettingsSchema, type InvoicingSettings } from '../../../shared/domain/finance';

export type InvoicingSettingsPatch = Partial<InvoicingSettings>;

/** The Invoicing settings form as typed: both stay text until they are checked, so a half-typed value is never sent. */
export interface InvoicingDraft {
  /** HH:MM, UK time. */
  runAt: string;
  batchSize: string;
}

export type InvoicingDraftErrors = Partial<Record<keyof InvoicingDraft, string>>;

export function invoicingDraftFrom(s: InvoicingSettings): InvoicingDraft {
  return { runAt: s.runAt, batchSize: String(s.batchSize) };
}

/**
 * Checks the form with the settings' own rules and builds a patch of only what changed, or says what is wrong. The
 * engine checks the patch again and names the field it refuses.
 */
export function invoicingPatchFrom(
  current: InvoicingSettings,
  draft: InvoicingDraft,
): { ok: true; patch: InvoicingSettingsPatch | null } | { ok: false; errors: InvoicingDraftErrors } {
  const errors: InvoicingDraftErrors = {};
  // "2:00" is read as 02:00: the setting itself keeps two digits for the hour.
  const typed = draft.runAt.trim();
  const runAt = /^\d:\d\d$/.test(typed) ? `0${typed}` : typed;
  if (!InvoicingSettingsSchema.shape.runAt.safeParse(runAt).success) errors.runAt = 'A time on the 24-hour clock as HH:MM, e.g. 02:00 or 18:30.';
  const sizeText = draft.batchSize.trim();
  const batchSize = /^\d+$/.test(sizeText) ? Number(sizeText) : NaN;
  if (!InvoicingSettingsSchema.shape.batchSize.safeParse(batchSize).success) errors.batchSize = 'A whole number of invoices from 1 to 500.';
  if (Object.keys(errors).length) return { ok: false, errors };

  const patch: InvoicingSettingsPatch = {};
  if (runAt !== current.runAt) patch.runAt = runAt;
  if (batchSize !== current.batchSize) patch.batchSize = batchSize;
  return { ok: true, patch: Object.keys(patch).length ? patch : null };
}
