import { useId, useState } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import { ukDayOf } from '../../format/time';
import { listed } from '../../format/words';
import { TextField } from '../orders/SettingsFields';
import { useSettingsSave } from '../settings/use-settings-save';
import { missingForPosting, settlementDraftFrom, settlementPatchFrom, type SettlementDraft } from './settlement-settings-draft';

/**
 * Settlement settings: where reading starts, and whether and how a payout is posted into SAP. A local draft, checked
 * with the settings' own rules; posting cannot be switched on while a code it posts with is empty; only the fields
 * that changed are sent, with the operator's name.
 */
export function SettlementSettingsForm({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const { actor, save: send, saving, engineError } = useSettingsSave(onSaved, 'Settlement settings saved.');
  const [draft, setDraft] = useState(() => settlementDraftFrom(settings.settlement));
  const set = (patch: Partial<SettlementDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const postingNoteId = useId();

  const today = ukDayOf(new Date().toISOString());
  const result = settlementPatchFrom(settings.settlement, draft, today);
  const errors = result.ok ? {} : result.errors;
  const dirty = !result.ok || result.patch !== null;
  const missing = missingForPosting(draft);
  // Switching off is always allowed; switching on only once every code posting needs is filled in.
  const cannotSwitchOn = !draft.postingEnabled && missing.length > 0;

  const save = async () => {
    if (result.ok && result.patch) await send({ settlement: result.patch });
  };

  return (
    <form
      className="settlement-settings"
      aria-label="Settlement settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {engineError ? (
        <p className="notice notice-error" role="alert" data-testid="settlement-settings-error">
          {engineError}
        </p>
      ) : null}
      <label className="setting">
        Read payouts from
        <input
          type="date"
          aria-label="Read payouts from"
          value={draft.readFrom}
          max={today}
          aria-invalid={errors.readFrom ? true : undefined}
          onChange={(e) => set({ readFrom: e.target.value })}
        />
        <span className="muted">
          The billing cycles that ended on or after this day are read and reconciled; empty: those that ended in the last 90 days. Cycles are kept for 400 days,
          so none older than that is read.
        </span>
        {errors.readFrom ? <span className="field-error">{errors.readFrom}</span> : null}
      </label>
      <fieldset className="settlement-posting">
        <legend>Posting payouts to SAP</legend>
        <p className="muted" data-testid="posting-explained">
          Off (as it starts), payouts are reconciled and exported only: nothing is written to SAP. Switched on, Post to SAP on the Payouts screen puts each
          payout into SAP: the marketplace’s commission and fees for the cycle become one A/P Invoice from the marketplace as a supplier (with the marketplace’s
          invoice number as the supplier’s reference, and its VAT on the input VAT group below), and the payout itself one Incoming Payment from the marketplace
          customer into the bank or clearing account below, paying the cycle’s matched invoices net of its credit memos. Under dry run it only says what it
          would post.
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.postingEnabled}
            disabled={cannotSwitchOn}
            aria-describedby={cannotSwitchOn ? postingNoteId : undefined}
            onChange={(e) => set({ postingEnabled: e.target.checked })}
          />
          Post payouts to SAP {draft.postingEnabled ? '(on)' : '(off)'}
        </label>
        {cannotSwitchOn ? (
          <span id={postingNoteId} className="warning" data-testid="posting-missing">
            To switch posting on, fill in {listed(missing)} first.
          </span>
        ) : null}
        {errors.postingEnabled ? <span className="field-error">{errors.postingEnabled}</span> : null}
        <TextField
          label="Supplier code (the marketplace in SAP)"
          hint="The Business Partner code of the marketplace as a supplier in SAP: the A/P Invoice of its commission and fees is from it."
          value={draft.supplierCode}
          error={errors.supplierCode}
          onChange={(v) => set({ supplierCode: v })}
        />
        <TextField
          label="Fee G/L account"
          hint="The G/L account the commission, subscription and other fees are booked to on that A/P Invoice."
          value={draft.feeAccount}
          error={errors.feeAccount}
          onChange={(v) => set({ feeAccount: v })}
        />
        <TextField
          label="Input VAT group"
          hint="SAP’s input VAT group for the VAT the marketplace charges on its commission and fees (I1 unless your SAP uses another)."
          value={draft.inputVatGroup}
          error={errors.inputVatGroup}
          onChange={(v) => set({ inputVatGroup: v })}
        />
        <TextField
          label="Bank or clearing G/L account"
          hint="The G/L account the Incoming Payment puts the payout into: the bank’s account, or a clearing account that is matched to the bank statement."
          value={draft.bankAccount}
          error={errors.bankAccount}
          onChange={(v) => set({ bankAccount: v })}
        />
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving || !actor || !dirty}>
          Save settlement settings
        </button>
        <button type="button" disabled={saving || !dirty} onClick={() => setDraft(settlementDraftFrom(settings.settlement))}>
          Discard changes
        </button>
        {!actor ? <span className="muted">Give your name at the top first: changes are recorded against it.</span> : null}
      </div>
    </form>
  );
}
