import { useState } from 'react';
import type { QueryResponse } from '../../../shared/contract';
import type { Settings } from '../../../shared/domain/settings';
import { useContractQuery } from '../../data/use-contract-query';
import { ukDayOf } from '../../format/time';
import { Choices, TextField, type Choice } from '../orders/SettingsFields';
import { useSettingsSave } from '../settings/use-settings-save';
import { returnsDraftFrom, returnsPatchFrom, type Acceptance, type ReturnsDraft } from './returns-settings-draft';

type Warehouse = QueryResponse<'returns.warehouses'>[number];

const ACCEPTANCE: Choice<Acceptance>[] = [
  {
    value: 'automatic',
    label: 'Accept every return automatically',
    explanation: 'Each return the customer opens is accepted at the next returns run; nobody has to look at it.',
  },
  {
    value: 'person',
    label: 'A person accepts or refuses each',
    explanation: 'Each return waits on this screen for Accept, or Refuse with one of John Lewis’s reasons.',
  },
];

const RECEIVED_BY: Choice<ReturnsDraft['receivedBy']>[] = [
  {
    value: 'console',
    label: 'A person presses Received',
    explanation:
      'When the parcel is unpacked, someone ticks its returns here and presses Mark received; the Credit Memo takes the units into the returns warehouse.',
  },
  {
    value: 'sap-return',
    label: 'The warehouse keys a Return in SAP',
    explanation:
      'The console finds that Return (by the order’s marketplace id or the customer’s number) and marks the return received; the Credit Memo is money only, as the Return moved the goods.',
  },
];

const warehouseName = (w: Warehouse) => (w.name && w.name !== w.code ? `${w.code} — ${w.name}` : w.code);

/** Returns settings: a local draft, checked with the settings' own rules, and only the fields that changed sent with the operator's name. */
export function ReturnsSettingsForm({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const { actor, save: send, saving, engineError } = useSettingsSave(onSaved, 'Returns settings saved.');
  const [draft, setDraft] = useState(() => returnsDraftFrom(settings.returns));
  const set = (patch: Partial<ReturnsDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const today = ukDayOf(new Date().toISOString());
  const result = returnsPatchFrom(settings.returns, draft, today);
  const errors = result.ok ? {} : result.errors;
  const dirty = !result.ok || result.patch !== null;

  const save = async () => {
    if (result.ok && result.patch) await send({ returns: result.patch });
  };

  return (
    <form
      className="returns-settings"
      aria-label="Returns settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {engineError ? (
        <p className="notice notice-error" role="alert" data-testid="returns-settings-error">
          {engineError}
        </p>
      ) : null}
      <Choices legend="Returns the customer opens" name="acceptance" choices={ACCEPTANCE} value={draft.acceptance} onChange={(v) => set({ acceptance: v })} />
      <Choices
        legend="How returned goods are booked in"
        name="received-by"
        choices={RECEIVED_BY}
        value={draft.receivedBy}
        onChange={(v) => set({ receivedBy: v })}
      />
      <WarehouseField draft={draft} error={errors.warehouse} onChange={(warehouse) => set({ warehouse })} />
      <label className="setting">
        Read returns from
        <input
          type="date"
          aria-label="Read returns from"
          value={draft.readFrom}
          max={today}
          aria-invalid={errors.readFrom ? true : undefined}
          onChange={(e) => set({ readFrom: e.target.value })}
        />
        <span className="muted">
          The first read takes the returns changed since the start of this day (UK time); empty: the last 30 days. Only the first read uses it: after that each
          read carries on from the last.
        </span>
        {errors.readFrom ? <span className="field-error">{errors.readFrom}</span> : null}
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving || !actor || !dirty}>
          Save returns settings
        </button>
        <button type="button" disabled={saving || !dirty} onClick={() => setDraft(returnsDraftFrom(settings.returns))}>
          Discard changes
        </button>
        {!actor ? <span className="muted">Give your name at the top first: changes are recorded against it.</span> : null}
      </div>
    </form>
  );
}

/**
 * The returns warehouse, chosen from SAP's active warehouses, those SAP does not count as available first. When SAP
 * cannot be read, the code is typed instead (and nothing can say whether SAP counts it as available).
 */
function WarehouseField({ draft, error, onChange }: { draft: ReturnsDraft; error?: string; onChange: (code: string) => void }) {
  const list = useContractQuery('returns.warehouses', {});
  const hint =
    draft.receivedBy === 'sap-return'
      ? 'Used only when a person presses Received: the Credit Memo then takes the units into it. While the warehouse keys Returns in SAP, each Return says where its goods go.'
      : 'The Credit Memo of a received return takes the units into this warehouse. Choose one SAP does not count as available (not nettable), so nothing is sold again before it is inspected.';

  if (list.status === 'loading') return <p className="loading setting">Reading SAP’s warehouses…</p>;
  if (list.status === 'error') {
    return (
      <div className="setting">
        <TextField label="Returns warehouse (SAP code)" hint={hint} value={draft.warehouse} error={error} onChange={onChange} />
        <p className="warning" data-testid="returns-warehouses-error">
          Could not read SAP’s warehouses ({list.error}): type the code. The console cannot check whether SAP counts it as available.
        </p>
      </div>
    );
  }

  const active = (list.data ?? []).filter((w) => w.active);
  const forReturns = active.filter((w) => !w.nettable);
  const available = active.filter((w) => w.nettable);
  const code = draft.warehouse.trim();
  const chosen = active.find((w) => w.code === code);
  return (
    <label className="setting">
      Returns warehouse
      <select aria-label="Returns warehouse" value={code} aria-invalid={error ? true : undefined} onChange={(e) => onChange(e.target.value)}>
        <option value="">None chosen</option>
        {code && !chosen ? <option value={code}>{code} (not an active warehouse in SAP)</option> : null}
        {forReturns.length ? (
          <optgroup label="Not counted as available by SAP (for returns)">
            {forReturns.map((w) => (
              <option key={w.code} value={w.code}>
                {warehouseName(w)}
              </option>
            ))}
          </optgroup>
        ) : null}
        {available.length ? (
          <optgroup label="Counted as available by SAP: returned goods would be sold again">
            {available.map((w) => (
              <option key={w.code} value={w.code}>
                {warehouseName(w)}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
      <span className="muted">{hint}</span>
      {error ? <span className="field-error">{error}</span> : null}
      {forReturns.length === 0 ? (
        <span className="warning" data-testid="returns-warehouse-none-suitable">
          SAP has no active warehouse it does not count as available. Create one in SAP (a warehouse with Nettable unticked), then choose it here.
        </span>
      ) : null}
      {chosen?.nettable ? (
        <span className="notice notice-warning" role="alert" data-testid="returns-warehouse-nettable">
          SAP counts {warehouseName(chosen)} as available stock: returned goods booked into it can be sold again before anyone has inspected them. Choose a
          warehouse SAP does not count as available.
        </span>
      ) : null}
      {code && !chosen ? (
        <span className="notice notice-warning" role="alert" data-testid="returns-warehouse-unknown">
          {code} is not an active warehouse in SAP: SAP would refuse a Credit Memo into it. Choose one of SAP’s warehouses.
        </span>
      ) : null}
      {!code && draft.receivedBy === 'console' ? (
        <span className="warning" data-testid="returns-warehouse-unset">
          Without a returns warehouse, a return marked received cannot be credited in SAP: it waits as a problem until one is chosen.
        </span>
      ) : null}
    </label>
  );
}
