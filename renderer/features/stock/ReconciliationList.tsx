import { createColumnHelper } from '@tanstack/react-table';
import type { ReconciliationRow } from '../../../shared/domain/stock';
import { onEvent, useContractList } from '../../data/use-contract-query';
import { formatDateTime } from '../../format/time';
import { DataTable } from '../../table/DataTable';

const SIDE_LABEL = { 'sap-only': 'In SAP only (no offer)', 'marketplace-only': 'On the marketplace only (no SAP item)' } as const;

const col = createColumnHelper<ReconciliationRow>();
const columns = [
  col.accessor('sku', { header: 'SKU' }),
  col.accessor('side', { header: 'Where', cell: (c) => SIDE_LABEL[c.getValue()] }),
  col.accessor('itemCode', { header: 'SAP item', cell: (c) => c.getValue() ?? '—' }),
  col.accessor('marketplaceQuantity', { header: 'Marketplace quantity', cell: (c) => <span className="num">{c.getValue() ?? '—'}</span> }),
];

/** SKUs mapped on one side only, as the last full reconciliation found them. */
export function ReconciliationList() {
  const list = useContractList(
    'stock.reconciliation',
    {},
    {
      pageSize: 100,
      refetchOn: [onEvent('run.finished', (run) => run.flow === 'stock')],
      rowKey: (r) => `${r.side}:${r.sku}`,
    },
  );
  const reconciledAt = list.response?.reconciledAt ?? null;
  return (
    <section aria-label="SKU reconciliation">
      <h2>SKU reconciliation</h2>
      {list.status === 'ready' ? (
        <p className="muted">
          {reconciledAt ? `Last full reconciliation ${formatDateTime(reconciledAt)}: ${list.total ?? 0} SKUs on one side only.` : 'No full reconciliation yet.'}
        </p>
      ) : null}
      <DataTable
        label="SKUs on one side only"
        testId="reconciliation-table"
        what="reconciliation"
        list={list}
        columns={columns}
        rowId={(r) => `${r.side}:${r.sku}`}
        rowTestId={(r) => `reconciliation-${r.sku}`}
        empty={reconciledAt ? 'Every SKU is on both sides.' : 'The daily full reconciliation lists here the SKUs mapped on one side only.'}
      />
    </section>
  );
}
