import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useRef, useState } from 'react';
import type { QueryResponse } from '../../../shared/contract';
import { listOf } from '../../data/static-list';
import { useContractList, useContractQuery } from '../../data/use-contract-query';
import { formatDateTime } from '../../format/time';
import { counted } from '../../format/words';
import { DataTable } from '../../table/DataTable';

type SkuMapping = QueryResponse<'orders.skuMappings'>['rows'][number];
type VatMapping = QueryResponse<'orders.vatMappings'>[number];

const sku = createColumnHelper<SkuMapping>();
const skuColumns = [
  sku.accessor('sku', { header: 'SKU', cell: (c) => <span className="mono">{c.getValue()}</span> }),
  sku.accessor('itemCode', { header: 'SAP item', cell: (c) => <span className="mono">{c.getValue()}</span> }),
  sku.accessor('mappedAt', { header: 'Mapped', cell: (c) => formatDateTime(c.getValue()) }),
];

const vat = createColumnHelper<VatMapping>();
const vatColumns = [
  vat.accessor('taxCode', { header: 'Tax code', cell: (c) => c.getValue() ?? 'Any' }),
  vat.accessor('rate', { header: 'Rate', cell: (c) => (c.getValue() === null ? 'Any' : `${c.getValue()}%`) }),
  vat.accessor('vatGroup', { header: 'SAP VAT group', cell: (c) => <span className="mono">{c.getValue()}</span> }),
  vat.accessor('source', { header: 'Set by', cell: (c) => (c.getValue() === 'derived' ? 'The engine, from SAP' : c.row.original.updatedBy) }),
  vat.accessor('updatedAt', { header: 'Since', cell: (c) => formatDateTime(c.getValue()) }),
];

/**
 * The mappings already saved, so the warehouse office can check one before correcting it: the SKUs sold as another
 * SAP item (every other SKU is the item of the same code) and the VAT mappings. `version` changes after each save.
 */
export function SavedMappings({ version }: { version: number }) {
  const [search, setSearch] = useState('');
  const skus = useContractList('orders.skuMappings', search.trim() ? { search: search.trim() } : {}, { pageSize: 100, debounceMs: 250, rowKey: (m) => m.sku });
  const vats = useContractQuery('orders.vatMappings', {});
  // After a save, both lists are asked again (not on first showing: they have just been asked).
  const shown = useRef(version);
  useEffect(() => {
    if (version === shown.current) return;
    shown.current = version;
    skus.refetch();
    vats.refetch();
  }, [version, skus, vats]);
  return (
    <div className="saved-mappings">
      <h3>
        SKUs sold as another SAP item <span className="count">{skus.status === 'ready' ? counted(skus.total ?? 0, 'SKU') : ''}</span>
      </h3>
      <label>
        Find a mapping
        <input type="search" placeholder="SKU or SAP item" value={search} maxLength={100} onChange={(e) => setSearch(e.target.value)} />
      </label>
      <DataTable
        label="SKU mappings"
        testId="sku-mappings"
        what="SKU mappings"
        list={skus}
        columns={skuColumns}
        rowId={(m) => m.sku}
        empty={search.trim() ? 'No SKU mapping matches this search.' : 'No SKU is mapped: every SKU is sold as the SAP item with the same code.'}
      />
      <h3>VAT mappings</h3>
      <DataTable
        label="VAT mappings"
        testId="vat-mappings"
        what="VAT mappings"
        list={listOf(vats, (rows) => rows)}
        columns={vatColumns}
        rowId={(m) => `${m.taxCode ?? ''}|${m.rate ?? ''}`}
        empty="No VAT mapping yet: orders whose tax SAP cannot place stop with an exception asking for one."
      />
    </div>
  );
}
