import { useState } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import { useCommand } from '../../app/use-command';
import { useConsole } from '../../store/react';
import { stockDraftFrom, stockPatchFrom, type DraftErrors, type StockDraft } from './settings-draft';

const FIELDS: { key: Exclude<keyof StockDraft, 'includeOrdered' | 'skuBuffers'>; label: string; hint: string }[] = [
  {
    key: 'include',
    label: 'Included warehouses',
    hint: 'Codes, comma-separated; listed ones count whatever SAP says of them. Empty: every active SAP warehouse that SAP marks nettable and not drop-ship',
  },
  { key: 'exclude', label: 'Excluded warehouses', hint: 'Never counted (returns, quarantine)' },
  { key: 'buffer', label: 'Buffer (units)', hint: 'Held back on every SKU' },
  { key: 'cap', label: 'Cap (units)', hint: 'Empty: no cap' },
  { key: 'cadence', label: 'Cadence (seconds)', hint: 'How often stock is read and sent' },
  { key: 'fullReconciliationAt', label: 'Full reconciliation (HH:MM)', hint: 'Daily, UK time' },
];

/** Stock settings: which warehouses count, buffers, cap and cadence; only what changed is sent. */
export function StockSettingsForm({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const [draft, setDraft] = useState(() => stockDraftFrom(settings));
  const [errors, setErrors] = useState<DraftErrors>({});
  const actor = useConsole((s) => s.ui.actor);
  const { busy, send } = useCommand();
  const set = (patch: Partial<StockDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const save = async () => {
    const checked = stockPatchFrom(settings, draft);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    if (!checked.patch || !actor) return;
    const updated = await send('stock-settings', 'settings.update', { patch: checked.patch, actor });
    if (updated) onSaved(updated);
  };

  return (
    <section aria-label="Stock settings">
      <h2>Stock settings</h2>
      <form
        className="stock-settings"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            <input
              aria-label={f.label}
              value={draft[f.key]}
              aria-invalid={errors[f.key] ? true : undefined}
              onChange={(e) => set({ [f.key]: e.target.value })}
            />
            <span className="muted">{f.hint}</span>
            {errors[f.key] ? <span className="field-error">{errors[f.key]}</span> : null}
          </label>
        ))}
        <label>
          <input type="checkbox" checked={draft.includeOrdered} onChange={(e) => set({ includeOrdered: e.target.checked })} />
          Count stock ordered from suppliers
        </label>
        <label>
          Buffers per SKU (one SKU=units a line)
          <textarea
            aria-label="Buffers per SKU"
            rows={3}
            value={draft.skuBuffers}
            aria-invalid={errors.skuBuffers ? true : undefined}
            onChange={(e) => set({ skuBuffers: e.target.value })}
          />
          {errors.skuBuffers ? <span className="field-error">{errors.skuBuffers}</span> : null}
        </label>
        <button type="submit" disabled={busy !== null || !actor}>
          Save stock settings
        </button>
        {!actor ? <span className="muted">Give your name at the top first: changes are recorded against it.</span> : null}
      </form>
    </section>
  );
}
