import { useId, useState } from 'react';
import type { ConsoleRole } from '../../../shared/domain/finance';
import { SYNC_FLOWS } from '../../../shared/domain/flows';
import type { Settings } from '../../../shared/domain/settings';
import { ROLE_LABELS, useRoleSaved } from '../../app/role';
import { FLOW_LABELS, listed } from '../../format/words';
import { useSettingsSave } from './use-settings-save';

const SYNC_WORDS = listed(SYNC_FLOWS.map((f) => FLOW_LABELS[f].toLowerCase()));

/** What this PC is now, in a sentence. */
function currently(role: ConsoleRole | null): string {
  if (role === 'finance')
    return `This is the finance PC: it reconciles payouts and never runs the sync flows (${SYNC_WORDS}); their screens only show here. The warehouse office PC runs them.`;
  if (role === 'operations')
    return `This is the warehouse office PC: it runs the sync flows (${SYNC_WORDS}) as their switches below say, and payout reconciliation if it is switched on.`;
  return 'Not chosen yet: this PC runs every flow switched on, as the warehouse office PC does.';
}

/** What changing to this role does, said before it is saved. */
function consequences(to: ConsoleRole, settings: Settings): string {
  if (to === 'finance') {
    return `Make this the finance PC? The engine here stops running the sync flows (${SYNC_WORDS}) at once — a run already going finishes — and never runs them while this is the finance PC: they cannot be switched on or run here, and their screens only show. Payout reconciliation runs here when it is switched on. The warehouse office PC must run the sync flows, or nothing is synced.`;
  }
  const on = SYNC_FLOWS.filter((f) => settings.flows[f].enabled).map((f) => FLOW_LABELS[f]);
  const which = on.length
    ? `${listed(on)} ${on.length === 1 ? 'is' : 'are'} switched on and start${on.length === 1 ? 's' : ''} at once.`
    : 'None of them is switched on: switch them on below.';
  return `Make this the warehouse office PC? The sync flows (${SYNC_WORDS}) run here as their switches say: ${which} Only one PC may run them: if another PC is the warehouse office PC as well, both would send the same orders, stock and invoices — make that one the finance PC first.`;
}

/**
 * Which PC this is, and changing it later (the warehouse office's ↔ finance's), after a confirmation that says what
 * changes. Saved with the operator's name; the engine may refuse, in its own words.
 */
export function RoleSetting({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const roleSaved = useRoleSaved();
  const [asking, setAsking] = useState<ConsoleRole | null>(null);
  const titleId = useId();
  const { actor, save, saving, engineError } = useSettingsSave(
    (saved) => {
      roleSaved(saved.role);
      onSaved(saved);
      setAsking(null);
    },
    asking ? `This is now the ${ROLE_LABELS[asking].replace(/^\w/, (c) => c.toLowerCase())}.` : 'Saved.',
  );
  const role = settings.role;
  const offered = (['operations', 'finance'] as const).filter((r) => r !== role);

  return (
    <fieldset className="role-setting" data-testid="role-setting">
      <legend>This PC</legend>
      <p data-testid="role-current">{currently(role)}</p>
      <div className="actions">
        {offered.map((r) => (
          <button key={r} type="button" disabled={saving || asking !== null || !actor} onClick={() => setAsking(r)}>
            {r === 'finance' ? 'Make this the finance PC…' : 'Make this the warehouse office PC…'}
          </button>
        ))}
        {!actor ? <span className="muted">Give your name at the top first: the change is recorded against it.</span> : null}
      </div>
      {asking ? (
        <div className="confirm" role="alertdialog" aria-labelledby={titleId} aria-modal="false">
          <p id={titleId}>{consequences(asking, settings)}</p>
          <button type="button" className="primary" disabled={saving} onClick={() => void save({ role: asking })}>
            {asking === 'finance' ? 'Make this the finance PC' : 'Make this the warehouse office PC'}
          </button>
          <button type="button" disabled={saving} onClick={() => setAsking(null)}>
            Cancel
          </button>
        </div>
      ) : null}
      {engineError ? (
        <p className="notice notice-error" role="alert" data-testid="role-setting-error">
          {engineError}
        </p>
      ) : null}
    </fieldset>
  );
}
