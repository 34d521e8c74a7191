import { useState } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import { TextField } from '../orders/SettingsFields';
import { useSettingsSave } from '../settings/use-settings-save';
import { invoicingDraftFrom, invoicingPatchFrom, type InvoicingDraft } from './invoicing-settings-draft';

/** Invoicing settings: a local draft, checked with the settings' own rules, and only the fields that changed sent with the operator's name. */
export function InvoicingSettingsForm({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const { actor, save: send, saving, engineError } = useSettingsSave(onSaved, 'Invoicing settings saved.');
  const [draft, setDraft] = useState(() => invoicingDraftFrom(settings.invoicing));
  const set = (patch: Partial<InvoicingDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const result = invoicingPatchFrom(settings.invoicing, draft);
  const errors = result.ok ? {} : result.errors;
  const dirty = !result.ok || result.patch !== null;

  const save = async () => {
    if (result.ok && result.patch) await send({ invoicing: result.patch });
  };

  return (
    <form
      className="invoicing-settings"
      aria-label="Invoicing settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {engineError ? (
        <p className="notice notice-error" role="alert" data-testid="invoicing-settings-error">
          {engineError}
        </p>
      ) : null}
      <TextField
        label="Daily batch at (UK time, HH:MM)"
        hint="The day’s invoices are posted at the first check after this time, on UK time (GMT in winter, BST in summer) whatever the computer’s time zone. Run invoicing now posts at once."
        value={draft.runAt}
        error={errors.runAt}
        onChange={(v) => set({ runAt: v })}
      />
      <TextField
        label="Invoices per batch"
        hint="1 to 500. Each batch is recorded before the next starts."
        value={draft.batchSize}
        error={errors.batchSize}
        onChange={(v) => set({ batchSize: v })}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving || !actor || !dirty}>
          Save invoicing settings
        </button>
        <button type="button" disabled={saving || !dirty} onClick={() => setDraft(invoicingDraftFrom(settings.invoicing))}>
          Discard changes
        </button>
        {!actor ? <span className="muted">Give your name at the top first: changes are recorded against it.</span> : null}
      </div>
    </form>
  );
}
