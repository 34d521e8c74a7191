import { useState, type FormEvent } from 'react';
import type { WarehouseNotCounted } from '../../../shared/domain/stock';
import { onEvent, useContractQuery } from '../../data/use-contract-query';
import { formatDateTime } from '../../format/time';

/** Why a warehouse's stock did not count, in the office's words. */
const NOT_COUNTED: Record<WarehouseNotCounted, string> = {
  excluded: 'excluded in Stock settings',
  'not-included': 'not in the included warehouses',
  inactive: 'inactive in SAP',
  'not-nettable': 'not nettable in SAP',
  'drop-ship': 'drop-ship in SAP',
  'no-marketplace-warehouse': 'no marketplace warehouse',
};

/** A SKU's figure warehouse by warehouse: what counted, the buffer, the cap, what was sent. Chosen here or in the SKU list. */
export function SkuBreakdown({ sku, onSku }: { sku: string | null; onSku: (sku: string) => void }) {
  const [text, setText] = useState(sku ?? '');
  const [shownFor, setShownFor] = useState(sku);
  // A SKU chosen in the list shows in the box too.
  if (sku !== shownFor) {
    setShownFor(sku);
    setText(sku ?? '');
  }
  const query = useContractQuery(
    'stock.breakdown',
    { sku: sku ?? '-' },
    { enabled: sku !== null, refetchOn: [onEvent('run.finished', (run) => run.flow === 'stock')] },
  );
  const result = sku === null ? undefined : query.data;

  const search = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) onSku(text.trim());
  };

  return (
    <section aria-label="SKU breakdown">
      <h2>SKU breakdown</h2>
      <form className="filters" onSubmit={search}>
        <label>
          SKU
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. SKU000123" />
        </label>
        <button type="submit">Show</button>
      </form>
      {query.error ? (
        <p className="notice notice-error" role="alert">
          Could not load the breakdown of {sku}: {query.error}
        </p>
      ) : null}
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
