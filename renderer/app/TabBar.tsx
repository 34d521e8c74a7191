import { useRef, type KeyboardEvent } from 'react';
import { useConsole } from '../store/react';
import { tabsFor, type Tab } from '../store/ui-slice';
import { useConsoleRole } from './role';

const LABELS: Record<Tab, string> = {
  overview: 'Overview',
  exceptions: 'Exceptions',
  orders: 'Orders',
  despatch: 'Despatch',
  returns: 'Returns',
  invoicing: 'Invoicing',
  payouts: 'Payouts',
  stock: 'Stock',
  runs: 'Runs',
  settings: 'Settings',
  connections: 'Connections',
};

/** ARIA tabs: one tab stop, arrow keys move between tabs (the keyboard pattern screen readers expect). */
export function TabBar() {
  const tab = useConsole((s) => s.ui.tab);
  // While the handbook is open no screen is shown: no tab is the selected one.
  const handbookOpen = useConsole((s) => s.ui.handbook !== null);
  const setTab = useConsole((s) => s.setTab);
  const open = useConsole((s) => s.status?.openExceptions ?? 0);
  const refs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const tabs = tabsFor(useConsoleRole() ?? null);

  const onKeyDown = (event: KeyboardEvent) => {
    const i = tabs.indexOf(tab);
    const next = event.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : event.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : null;
    if (!next) return;
    event.preventDefault();
    setTab(next);
    refs.current[next]?.focus();
  };

  return (
    <nav className="tabbar" aria-label="Screens">
      <div role="tablist" aria-label="Screens" onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t}
            ref={(el) => {
              refs.current[t] = el;
            }}
            id={`tab-${t}`}
            role="tab"
            type="button"
            aria-selected={!handbookOpen && tab === t}
            aria-controls={`panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            className="tab"
            onClick={() => setTab(t)}
          >
            {LABELS[t]}
            {t === 'exceptions' && open > 0 ? (
              <span className="badge" aria-label={`${open} open`}>
                {open}
              </span>
            ) : null}
          </button>
        ))}
      </div>
    </nav>
  );
}
