import { useEffect, useState } from 'react';
import type { QueryResponse } from '../../../shared/contract';
import type { Settings } from '../../../shared/domain/settings';
import { useApi } from '../../store/react';
import { LastCycle } from './LastCycle';
import { ReconciliationList } from './ReconciliationList';
import { SkuBreakdown } from './SkuBreakdown';
import { StockSettingsForm } from './StockSettingsForm';
import './stock.css';

/** The Stock screen: the last cycle, a SKU's figure by warehouse, the SKUs on one side only, and the stock settings. */
export function StockScreen() {
  const api = useApi();
  const [cycle, setCycle] = useState<QueryResponse<'stock.lastCycle'>>(null);
  const [reconciliation, setReconciliation] = useState<QueryResponse<'stock.reconciliation'>>({ rows: [], total: 0, reconciledAt: null });
  const [settings, setSettings] = useState<Settings | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      Promise.all([api.query('stock.lastCycle', {}), api.query('stock.reconciliation', { limit: 200 }), api.query('settings.get', {})]).then(([c, r, s]) => {
        if (!live) return;
        setCycle(c);
        setReconciliation(r);
        setSettings(s);
      });
    void load();
    // A finished stock run means a new cycle to show.
    const off = api.on('run.finished', (run) => {
      if (run.flow === 'stock') void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);

  return (
    <div className="stock">
      <h2>Last cycle</h2>
      <LastCycle cycle={cycle} />
      <SkuBreakdown />
      <ReconciliationList {...reconciliation} />
      {settings ? (
        <StockSettingsForm key={JSON.stringify(settings.stock) + settings.flows.stock.cadenceSeconds} settings={settings} onSaved={setSettings} />
      ) : null}
    </div>
  );
}
