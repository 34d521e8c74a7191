import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { SkuStock } from '../../../shared/domain/stock';
import { onEvent, useContractList } from '../../data/use-contract-query';
import { formatDateTime } from '../../format/time';
import { DataTable } from '../../table/DataTable';

const col = createColumnHelper<SkuStock>();

function skuColumns(onOpen: (sku: string) => void) {
  return [
    col.accessor('sku', {
      header: 'SKU',
      cell: (c) => (
        <button type="button" className="link" onClick={() => onOpen(c.getValue())} aria-label={`Breakdown of ${c.getValue()}`}>
          {c.getValue()}
        </button>
      ),
    }),
    col.accessor('itemCode', { header: 'SAP item' }),
    col.accessor('available', { header: 'Available', cell: (c) => <span className="num">{c.getValue()}</span> }),
    col.accessor('confirmed', { header: 'Marketplace confirmed', cell: (c) => <span className="num">{c.getValue() ?? 'not yet'}</span> }),
    col.accessor('computedAt', { header: 'Computed', cell: (c) => <time dateTime={c.getValue()}>{formatDateTime(c.getValue())}</time> }),
    col.display({
      id: 'problem',
      header: 'Problem',
      cell: ({ row }) => {
        const r = row.original;
        if (r.heldBy.length) return <span className="warn">Held back: warehouse {r.heldBy.join(', ')} did not answer</span>;
        if (r.rejected) return <span className="bad">Rejected: {r.rejected}</span>;
        return '';
      },
    }),
  ];
}

/** Every SKU with a stock figure, searched and paged in the ledger; a SKU opens its warehouse-by-warehouse breakdown. */
export function SkuList({ onOpen }: { onOpen: (sku: string) => void }) {
  const [search, setSearch] = useState('');
  const list = useContractList('stock.skus', search.trim() ? { search: search.trim() } : {}, {
    pageSize: 100,
    debounceMs: 250,
    refetchOn: [onEvent('run.finished', (run) => run.flow === 'stock')],
    rowKey: (r) => r.sku,
  });
  const columns = useMemo(() => skuColumns(onOpen), [onOpen]);
  const total = list.total ?? 0;
  return (
    <section aria-label="SKUs">
      <h2>SKUs</h2>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search SKUs
          <input value={search} maxLength={100} placeholder="SKU or SAP item code" onChange={(e) => setSearch(e.target.value)} />
        </label>
        <span className="count" data-testid="stock-sku-total">
          {list.status === 'ready' ? `${total} ${total === 1 ? 'SKU' : 'SKUs'}` : ''}
        </span>
      </form>
      <DataTable
        label="SKUs and their stock figures"
        testId="stock-skus"
        what="SKUs"
        list={list}
        columns={columns}
        rowId={(r) => r.sku}
        rowTestId={(r) => `stock-sku-${r.sku}`}
        empty={search.trim() ? 'No SKU matches this search.' : 'No stock figures yet: they appear after the first stock cycle.'}
      />
    </section>
  );
}
