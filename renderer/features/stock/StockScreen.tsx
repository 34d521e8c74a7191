import { useRecordAddress } from '../../app/address';
import { useState } from 'react';
import { onEvent, useContractQuery } from '../../data/use-contract-query';
import { LastCycle } from './LastCycle';
import { ReconciliationList } from './ReconciliationList';
import { SkuBreakdown } from './SkuBreakdown';
import { SkuList } from './SkuList';
import { StockSettingsForm } from './StockSettingsForm';
import './stock.css';

/** The Stock screen: the last cycle, every SKU's figure, one SKU's figure by warehouse, the SKUs on one side only, and the stock settings. */
export function StockScreen() {
  // A finished stock run means a new cycle to show.
  const cycle = useContractQuery('stock.lastCycle', {}, { refetchOn: [onEvent('run.finished', (run) => run.flow === 'stock')] });
  const settings = useContractQuery('settings.get', {});
  const [sku, setSku] = useState<string | null>(null);
  useRecordAddress('stock', sku, setSku);

  return (
    <div className="stock">
      <h2>Last cycle</h2>
      {cycle.status === 'error' ? (
        <p className="notice notice-error" role="alert" data-testid="stock-last-cycle-error">
          Could not load the last stock cycle: {cycle.error}
        </p>
      ) : cycle.status === 'loading' ? (
        <p className="loading">Loading the last stock cycle…</p>
      ) : (
        <LastCycle cycle={cycle.data ?? null} />
      )}
      <SkuList onOpen={setSku} />
      <SkuBreakdown sku={sku} onSku={setSku} />
      <ReconciliationList />
      {settings.status === 'error' ? (
        <p className="notice notice-error" role="alert">
          Could not load the stock settings: {settings.error}
        </p>
      ) : settings.data ? (
        <StockSettingsForm
          key={JSON.stringify(settings.data.stock) + settings.data.flows.stock.cadenceSeconds}
          settings={settings.data}
          onSaved={(s) => settings.setData(s)}
        />
      ) : null}
    </div>
  );
}
