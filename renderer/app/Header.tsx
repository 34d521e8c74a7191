import { useState } from 'react';
import { UNREACHABLE_MESSAGE } from '../api/connection';
import { useConsole } from '../store/react';
import { ROLE_LABELS, useConsoleRole } from './role';
import { ThemeSwitch } from './theme';
import { AlertsPermission } from './browser-alerts';
import { GlobalSearch } from './GlobalSearch';
import { HANDBOOK_HOME, handbookAddress } from '../../shared/domain/handbook-address';

/** After this many failed attempts without ever connecting, say what may be wrong instead of only "reconnecting". */
const HINT_AFTER_ATTEMPTS = 3;

function ConnectionBadge() {
  const connection = useConsole((s) => s.ui.connection);
  if (connection.kind === 'open') return null;
  if (connection.kind === 'refused') return null; // shown full width by the NoticeBar
  const text =
    connection.kind === 'connecting'
      ? 'Connecting…'
      : !connection.everOpened && connection.attempt >= HINT_AFTER_ATTEMPTS
        ? UNREACHABLE_MESSAGE
        : `Reconnecting… (attempt ${connection.attempt})`;
  return (
    <span className="pill pill-warn" role="status" data-testid="connection">
      {text}
    </span>
  );
}

/** The operator's name is recorded on every retry, dismissal and settings change, so it is asked once and kept. */
function ActorControl() {
  const actor = useConsole((s) => s.ui.actor);
  const setActor = useConsole((s) => s.setActor);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');

  if (actor && !editing) {
    return (
      <div className="actor">
        <span>
          Operator: <strong data-testid="actor">{actor}</strong>
        </span>
        <button
          type="button"
          className="link"
          onClick={() => {
            setDraft(actor);
            setEditing(true);
          }}
        >
          Change
        </button>
      </div>
    );
  }
  return (
    <form
      className="actor"
      onSubmit={(e) => {
        e.preventDefault();
        if (!draft.trim()) return;
        setActor(draft);
        setEditing(false);
      }}
    >
      <label htmlFor="actor-name">Your name</label>
      <input
        id="actor-name"
        value={draft}
        maxLength={80}
        autoComplete="name"
        placeholder="recorded on your actions"
        onChange={(e) => setDraft(e.target.value)}
      />
      <button type="submit" disabled={!draft.trim()}>
        Save name
      </button>
    </form>
  );
}

/** Which PC this console is, so nobody mistakes the finance PC for the one that syncs. */
function RoleBadge() {
  const role = useConsoleRole();
  if (role === undefined) return null;
  return (
    <span className={`pill role-pill ${role ? `role-${role}` : 'role-unset'}`} data-testid="console-role">
      {role ? ROLE_LABELS[role] : 'Role not chosen'}
    </span>
  );
}

export function Header() {
  return (
    <header className="header">
      <h1>Marketplace Console</h1>
      <span className="header-sub">SAP Business One ⇄ John Lewis Marketplace</span>
      <RoleBadge />
      <ConnectionBadge />
      <span className="spacer" />
      <GlobalSearch />
      {/* The handbook for the warehouse office and finance, shipped with the console: it opens without a network. */}
      <a className="link handbook-link" href={handbookAddress(HANDBOOK_HOME)} data-testid="handbook-link">
        Handbook
      </a>
      <AlertsPermission />
      <ThemeSwitch />
      <ActorControl />
    </header>
  );
}
