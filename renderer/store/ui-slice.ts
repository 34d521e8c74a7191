import type { StateCreator } from 'zustand';
import type { ConsoleRole } from '../../shared/domain/finance';
import { handbookPlaceFromHash, type HandbookPlace } from '../../shared/domain/handbook-address';
import type { ConnectionState } from '../api/connection';
import type { ConsoleState } from './index';

export const TABS = ['overview', 'exceptions', 'orders', 'despatch', 'returns', 'invoicing', 'payouts', 'stock', 'runs', 'settings', 'connections'] as const;
export type Tab = (typeof TABS)[number];

/** The tabs in the order a console of this role shows them: a finance PC's work, the Payouts screen, comes first. */
export function tabsFor(role: ConsoleRole | null): readonly Tab[] {
  return role === 'finance' ? ['payouts', ...TABS.filter((t) => t !== 'payouts')] : TABS;
}

/** Where the operator's name is kept between sessions; it is recorded on every action they take. */
export const ACTOR_KEY = 'marketplace-console.actor';

export interface Notice {
  id: number;
  tone: 'info' | 'error';
  text: string;
}

export interface UiSlice {
  ui: {
    tab: Tab;
    /** The operator (or the address they opened) named the screen: the console does not move them to another by itself. */
    tabChosen: boolean;
    actor: string | null;
    connection: ConnectionState;
    notice: Notice | null;
    /** The handbook page (and section) shown instead of the screen; null while a screen is shown. */
    handbook: HandbookPlace | null;
  };
  /** Shows a screen (closing the handbook if it is open). */
  setTab(tab: Tab): void;
  /** Shows the handbook at a page and section, or closes it (null). */
  openHandbook(place: HandbookPlace | null): void;
  /** The screen a console lands on once it knows its role, unless one was chosen already. */
  landOn(tab: Tab): void;
  setActor(actor: string | null): void;
  setConnection(connection: ConnectionState): void;
  notify(tone: Notice['tone'], text: string): void;
  clearNotice(): void;
}

/** The tab a #/name address points at (a tiny hash router: a reload or a shared link lands on the same screen). */
export function tabFromHash(hash: string): Tab | null {
  // '#/orders/000000105-A' is the Orders screen with that order open (app/address.ts).
  const name = hash.replace(/^#\/?/, '').split('/')[0] ?? '';
  return (TABS as readonly string[]).includes(name) ? (name as Tab) : null;
}

function readActor(): string | null {
  try {
    return globalThis.localStorage?.getItem(ACTOR_KEY) || null;
  } catch {
    return null; // storage disabled: ask again next time rather than fail
  }
}

let noticeId = 0;

export const createUiSlice: StateCreator<ConsoleState, [['zustand/subscribeWithSelector', never]], [], UiSlice> = (set) => ({
  // Start on the screen the address names, so the first render never overwrites it.
  ui: (() => {
    const hash = globalThis.location?.hash ?? '';
    const fromAddress = tabFromHash(hash);
    return {
      tab: fromAddress ?? 'overview',
      tabChosen: fromAddress !== null,
      actor: readActor(),
      connection: { kind: 'open' as const },
      notice: null,
      handbook: handbookPlaceFromHash(hash),
    };
  })(),
  setTab: (tab) => set((s) => ({ ui: { ...s.ui, tab, tabChosen: true, handbook: null } })),
  openHandbook: (handbook) => set((s) => ({ ui: { ...s.ui, handbook } })),
  landOn: (tab) => set((s) => (s.ui.tabChosen ? s : { ui: { ...s.ui, tab } })),
  setActor(actor) {
    const name = actor?.trim() || null;
    try {
      if (name) localStorage.setItem(ACTOR_KEY, name);
      else localStorage.removeItem(ACTOR_KEY);
    } catch {
      // Not persisted, still used for this session.
    }
    set((s) => ({ ui: { ...s.ui, actor: name } }));
  },
  setConnection: (connection) => set((s) => ({ ui: { ...s.ui, connection } })),
  notify: (tone, text) => set((s) => ({ ui: { ...s.ui, notice: { id: ++noticeId, tone, text } } })),
  clearNotice: () => set((s) => ({ ui: { ...s.ui, notice: null } })),
});
