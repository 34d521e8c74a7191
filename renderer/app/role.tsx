import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import type { ConsoleRole } from '../../shared/domain/finance';
import { useRefetch } from '../data/refetch';
import { useApi, useConsole } from '../store/react';

/** The role as the header names it. */
export const ROLE_LABELS: Record<ConsoleRole, string> = { operations: 'Warehouse office PC', finance: 'Finance PC' };

/** What each choice means, as the first-start question offers it. */
const ROLE_CHOICES: readonly { role: ConsoleRole; label: string }[] = [
  { role: 'operations', label: 'Warehouse office (orders, stock, despatch, invoicing, returns)' },
  { role: 'finance', label: 'Finance (payout reconciliation; the sync flows never run here)' },
];

/**
 * The role under its own key, not the settings' answer: the header keeps it for as long as the console is open, and
 * the settings forms' answers must still be dropped when their screen closes (each form asks the engine afresh).
 */
const ROLE_KEY = ['console-role'] as const;

/**
 * Which PC this console is, as the engine's settings hold it: undefined until the engine has answered (or when it
 * cannot), null when nobody has chosen yet. Asked again after the link to the engine comes back.
 */
export function useConsoleRole(): ConsoleRole | null | undefined {
  const api = useApi();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ROLE_KEY, queryFn: async () => (await api.query('settings.get', {})).role });
  useRefetch(ROLE_KEY, undefined, true, () => void client.refetchQueries({ queryKey: ROLE_KEY, exact: true }));
  return query.data;
}

/** Tells the header, the tabs and the read-only notices the role the engine saved (from its answer to settings.update). */
export function useRoleSaved(): (role: ConsoleRole | null) => void {
  const client = useQueryClient();
  return useCallback((role: ConsoleRole | null) => client.setQueryData(ROLE_KEY, role), [client]);
}

/** Why a screen is read-only on this PC; null where it is not. */
const ReadOnlyContext = createContext<string | null>(null);

/** The sync flows' work is done on the warehouse office PC: on the finance PC their screens only show. */
export const FINANCE_READ_ONLY =
  'This is the finance PC: orders, stock, despatch, invoicing and returns are worked on the warehouse office PC. This screen only shows what this PC’s engine holds; nothing here is sent.';

export function ReadOnly({ reason, children }: { reason: string | null; children: ReactNode }) {
  return (
    <ReadOnlyContext value={reason}>
      {reason ? (
        <p className="notice notice-warning read-only-notice" data-testid="read-only">
          {reason}
        </p>
      ) : null}
      {children}
    </ReadOnlyContext>
  );
}

/** Why this screen may not act (a finance PC's view of the sync flows' screens); null where it may. */
export function useReadOnly(): string | null {
  return useContext(ReadOnlyContext);
}

/**
 * The first-start question: which PC is this? Asked while the engine's settings hold no role; the answer is saved
 * with the operator's name, and decides what the engine runs here (a finance PC never runs the sync flows, so two
 * PCs never post the same order twice).
 */
export function RoleChooser() {
  const api = useApi();
  const roleSaved = useRoleSaved();
  const actor = useConsole((s) => s.ui.actor);
  const role = useConsoleRole();
  const [choice, setChoice] = useState<ConsoleRole | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (role !== null) return null;

  const save = async () => {
    if (!actor || !choice) return;
    setSaving(true);
    setError(null);
    try {
      const saved = await api.command('settings.update', { patch: { role: choice }, actor });
      roleSaved(saved.role);
    } catch (e) {
      setError(`The engine refused the choice: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="role-chooser" aria-label="Which PC is this?" data-testid="role-chooser">
      <h2>Which PC is this?</h2>
      <p>
        Choose once, at the first start. The warehouse office PC runs the sync flows; the finance PC reconciles payouts and shows the rest read-only, so two PCs
        never sync the same orders twice.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend className="sr-only">This PC is</legend>
          {ROLE_CHOICES.map((c) => (
            <label key={c.role} className="check">
              <input type="radio" name="console-role" value={c.role} checked={choice === c.role} onChange={() => setChoice(c.role)} />
              {c.label}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={!actor || !choice || saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          {!actor ? <span className="muted">Give your name at the top first: the choice is recorded against it.</span> : null}
        </div>
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
