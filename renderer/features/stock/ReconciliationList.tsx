import type { ReconciliationRow } from '../../../shared/domain/stock';
import { formatDateTime } from '../../format/time';

const SIDE_LABEL = { 'sap-only': 'In SAP only (no offer)', 'marketplace-only': 'On the marketplace only (no SAP item)' } as const;

/** SKUs mapped on one side only, as the last full reconciliation found them. */
export function ReconciliationList({ rows, total, reconciledAt }: { rows: ReconciliationRow[]; total: number; reconciledAt: string | null }) {
  return (
    <section aria-label="SKU reconciliation">
      <h2>SKU reconciliation</h2>
      <p className="muted">
        {reconciledAt ? `Last full reconciliation ${formatDateTime(reconciledAt)}: ${total} SKUs on one side only.` : 'No full reconciliation yet.'}
      </p>
      {rows.length ? (
        <table className="grid" aria-label="SKUs on one side only">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Where</th>
              <th scope="col">SAP item</th>
              <th scope="col">Marketplace quantity</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.sku} data-testid={`reconciliation-${r.sku}`}>
                <td>{r.sku}</td>
                <td>{SIDE_LABEL[r.side]}</td>
                <td>{r.itemCode ?? '—'}</td>
                <td className="num">{r.marketplaceQuantity ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
