import { useEffect, type ReactNode } from 'react';
import '../styles/app.css';
import { ConnectionsScreen } from '../features/connections/ConnectionsScreen';
import { ExceptionsScreen } from '../features/exceptions/ExceptionsScreen';
import { Overview } from '../features/overview/Overview';
import { RunsScreen } from '../features/runs/RunsScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { StockScreen } from '../features/stock/StockScreen';
import { OrdersScreen } from '../features/orders/OrdersScreen';
import { DespatchScreen } from '../features/despatch/DespatchScreen';
import { InvoicingScreen } from '../features/invoicing/InvoicingScreen';
import { ReturnsScreen } from '../features/returns/ReturnsScreen';
import { PayoutsScreen } from '../features/payouts/PayoutsScreen';
import { HandbookScreen } from '../features/handbook/HandbookScreen';
import { handbookPlaceFromHash } from '../../shared/domain/handbook-address';
import { useConsole, useConsoleStore } from '../store/react';
import { tabFromHash, type Tab } from '../store/ui-slice';
import { Header } from './Header';
import { NoticeBar } from './NoticeBar';
import { FINANCE_READ_ONLY, ReadOnly, RoleChooser, useConsoleRole } from './role';
import { TabBar } from './TabBar';

const SCREENS: Record<Tab, () => ReactNode> = {
  overview: Overview,
  exceptions: ExceptionsScreen,
  orders: OrdersScreen,
  despatch: DespatchScreen,
  returns: ReturnsScreen,
  invoicing: InvoicingScreen,
  payouts: PayoutsScreen,
  stock: StockScreen,
  runs: RunsScreen,
  settings: SettingsScreen,
  connections: ConnectionsScreen,
};

/** The sync flows' screens: a finance PC shows them read-only (its engine never runs those flows). */
const SYNC_SCREENS: readonly Tab[] = ['orders', 'despatch', 'returns', 'invoicing', 'stock'];

export function App() {
  const tab = useConsole((s) => s.ui.tab);
  const handbook = useConsole((s) => s.ui.handbook);
  const store = useConsoleStore();
  const role = useConsoleRole();

  // A finance PC opens on its own work, unless the address (or the operator) named another screen.
  useEffect(() => {
    if (role === 'finance') store.getState().landOn('payouts');
  }, [role, store]);

  useEffect(() => {
    const sync = () => {
      // A handbook address (a help link, a link between its pages) opens the handbook; any other closes it.
      const place = handbookPlaceFromHash(location.hash);
      const ui = store.getState().ui;
      if (place) {
        if (ui.handbook?.page !== place.page || ui.handbook.anchor !== place.anchor) store.getState().openHandbook(place);
        return;
      }
      if (ui.handbook) store.getState().openHandbook(null);
      const fromHash = tabFromHash(location.hash);
      // Only a different screen is the operator's choice: the address this console wrote itself is not.
      if (fromHash && fromHash !== store.getState().ui.tab) store.getState().setTab(fromHash);
    };
    sync();
    window.addEventListener('hashchange', sync);
    return () => window.removeEventListener('hashchange', sync);
  }, [store]);

  useEffect(() => {
    if (!handbook && tabFromHash(location.hash) !== tab) history.replaceState(null, '', `#/${tab}`);
  }, [tab, handbook]);

  const Screen = SCREENS[tab];
  return (
    <div className="app">
      <Header />
      <RoleChooser />
      <TabBar />
      <NoticeBar />
      {handbook ? (
        <main id="panel-handbook" className="screen" aria-label="Handbook">
          <HandbookScreen place={handbook} />
        </main>
      ) : (
        <main id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} className="screen">
          <ReadOnly reason={role === 'finance' && SYNC_SCREENS.includes(tab) ? FINANCE_READ_ONLY : null}>
            <Screen />
          </ReadOnly>
        </main>
      )}
    </div>
  );
}
