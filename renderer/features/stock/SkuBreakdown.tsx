import { useState, type FormEvent } from 'react';
import type { SkuBreakdown as Breakdown, WarehouseNotCounted } from '../../../shared/domain/stock';
import { formatDateTime } from '../../format/time';
import { useApi } from '../../store/react';

/** Why a warehouse's stock did not count, in the office's words. */
const NOT_COUNTED: Record<WarehouseNotCounted, string> = {
  excluded: 'excluded in Stock settings',
  'not-included': 'not in the included warehouses',
  inactive: 'inactive in SAP',
  'not-nettable': 'not nettable in SAP',
  'drop-ship': 'drop-ship in SAP',
  'no-marketplace-warehouse': 'no marketplace warehouse',
};

/** Search a SKU and see its figure warehouse by warehouse: what counted, the buffer, the cap, what was sent. */
export function SkuBreakdown() {
  const api = useApi();
  const [sku, setSku] = useState('');
  const [result, setResult] = useState<Breakdown | null | undefined>(undefined);

  const search = async (event: FormEvent) => {
    event.preventDefault();
    if (!sku.trim()) return;
    setResult(await api.query('stock.breakdown', { sku: sku.trim() }));
  };

  return (
    <section aria-label="SKU breakdown">
      <h2>SKU breakdown</h2>
      <form className="filters" onSubmit={(e) => void search(e)}>
        <label>
          SKU
          <input value={sku} onChange={(e) => setSku(e.target.value)} placeholder="e.g. SKU000123" />
        </label>
        <button type="submit">Show</button>
      </form>
      {result === null ? <p className="empty">No stock figure for that SKU yet.</p> : null}
      {result ? (
        <div data-testid="stock-breakdown">
          <table className="grid" aria-label={`Stock of ${result.sku} by warehouse`}>
            <thead>
              <tr>
                <th scope="col">Warehouse</th>
                <th scope="col">In stock</th>
                <th scope="col">Committed</th>
                <th scope="col">Ordered</th>
                <th scope="col">Counts</th>
              </tr>
            </thead>
            <tbody>
              {result.warehouses.map((w) => (
                <tr key={w.warehouseCode} data-testid={`warehouse-${w.warehouseCode}`}>
                  <th scope="row">{w.warehouseCode}</th>
                  <td className="num">{w.inStock}</td>
                  <td className="num">{w.committed}</td>
                  <td className="num">{w.ordered}</td>
                  <td className={w.included ? 'num' : 'muted'}>{w.included ? w.counted : `not counted: ${NOT_COUNTED[w.notCounted ?? 'excluded']}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="stock-formula">
            {result.sku} (item {result.itemCode}): sum {result.sum}
            {result.includeOrdered ? ' (Ordered included)' : ''} − buffer {result.buffer}, floored at 0{result.cap === null ? '' : `, capped at ${result.cap}`}
            {result.reserved ? ` − ${result.reserved} on marketplace orders not yet in SAP` : ''} = <strong>{result.available}</strong> available. Marketplace
            confirmed {result.confirmed ?? 'nothing yet'}
            {result.confirmedAt ? ` at ${formatDateTime(result.confirmedAt)}` : ''}.
          </p>
          {result.heldBy.length ? <p className="notice notice-error">Held back: warehouse {result.heldBy.join(', ')} did not answer.</p> : null}
          {result.rejected ? <p className="notice notice-error">Rejected by the marketplace: {result.rejected}</p> : null}
        </div>
      ) : null}
    </section>
  );
}
