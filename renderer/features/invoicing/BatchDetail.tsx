import { createColumnHelper } from '@tanstack/react-table';
import Decimal from 'decimal.js';
import { useMemo } from 'react';
import type { InvoiceDocument } from '../../../shared/contract/finance';
import { useContractQuery, type RefetchTrigger } from '../../data/use-contract-query';
import { listOf } from '../../data/static-list';
import { formatMoney } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { counted } from '../../format/words';
import { DataTable } from '../../table/DataTable';
import { TRIGGER_LABELS } from './BatchesTable';

const col = createColumnHelper<InvoiceDocument>();

const OUTCOME_LABELS: Record<InvoiceDocument['outcome'], string> = {
  posted: 'Posted',
  found: 'Already in SAP',
  'would-post': 'Would post (dry run)',
  failed: 'Failed',
};

function documentColumns(currency: string | null, onOrder: (orderId: string) => void) {
  const money = (v: string | null) => formatMoney(v, currency);
  return [
    col.accessor('outcome', {
      header: 'Outcome',
      cell: (c) => <span className={`invoice-outcome outcome-${c.getValue()}`}>{OUTCOME_LABELS[c.getValue()]}</span>,
    }),
    col.accessor('orderId', {
      header: 'Order',
      cell: (c) => (
        <button type="button" className="link" aria-label={`Timeline of order ${c.getValue()}`} onClick={() => onOrder(c.getValue())}>
          {c.getValue()}
        </button>
      ),
    }),
    col.accessor('numAtCard', { header: "Customer's number", cell: (c) => c.getValue() ?? '—' }),
    col.accessor('customer', { header: 'Customer' }),
    col.accessor('deliveryDocNums', { header: 'Delivery Notes', cell: (c) => (c.getValue().length ? c.getValue().join(', ') : '—') }),
    col.accessor('invoiceDocNum', { header: 'Invoice', cell: (c) => c.getValue() ?? '—' }),
    col.accessor('total', {
      header: 'SAP total',
      cell: ({ row }) => {
        const { total, marketplaceTotal } = row.original;
        const differs = total !== null && !new Decimal(total).eq(marketplaceTotal);
        return (
          <>
            {money(total)}
            {differs ? <span className="bad"> differs by {money(new Decimal(total).minus(marketplaceTotal).toFixed(2))}</span> : null}
          </>
        );
      },
    }),
    col.accessor('marketplaceTotal', { header: 'Marketplace total', cell: (c) => money(c.getValue()) }),
    col.accessor('problem', {
      header: 'Problem',
      cell: (c) => {
        const p = c.getValue();
        return p ? (
          <span className="bad" title={p.rawError ?? undefined}>
            {p.summary}
          </span>
        ) : (
          ''
        );
      },
    }),
  ];
}

/** One batch: what it posted (or would post, under dry run), each order's invoice against what the marketplace will pay. */
export function BatchDetail({
  id,
  refetchOn,
  onClose,
  onOrder,
}: {
  id: number;
  refetchOn: readonly RefetchTrigger[];
  onClose: () => void;
  onOrder: (orderId: string) => void;
}) {
  const query = useContractQuery('invoicing.batch', { id }, { refetchOn });
  const list = listOf(query, (d) => d.documents);
  const batch = query.data?.batch;
  const columns = useMemo(() => documentColumns(batch?.currency ?? null, onOrder), [batch?.currency, onOrder]);
  return (
    <section className="detail batch-detail" aria-label="Invoicing batch" data-testid="batch-detail">
      <div className="detail-head">
        <h2>{batch ? `Batch of ${formatDateTime(batch.startedAt)}` : `Batch ${id}`}</h2>
        <button type="button" className="link" aria-label="Close the batch" onClick={onClose}>
          ×
        </button>
      </div>
      {batch ? (
        <p data-testid="batch-summary">
          {TRIGGER_LABELS[batch.trigger]} · {counted(batch.documents, 'order')} · {batch.posted} posted · {batch.failed} failed · total{' '}
          {formatMoney(batch.total, batch.currency)}
          {batch.endedAt === null ? ' · still running' : ''}
        </p>
      ) : null}
      {batch?.dryRun ? <p className="warning">Dry run: nothing was posted to SAP. These are the invoices this batch would have posted.</p> : null}
      <DataTable
        label="Invoices in the batch"
        testId="batch-documents"
        what="invoices of this batch"
        list={list}
        columns={columns}
        rowId={(d) => d.orderId}
        rowTestId={(d) => `invoice-${d.orderId}`}
        empty="This batch had no delivered orders to invoice."
      />
    </section>
  );
}
