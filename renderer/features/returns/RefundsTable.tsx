import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { RefundSummary } from '../../../shared/contract/finance';
import type { ListView } from '../../data/use-contract-query';
import { formatMoney } from '../../format/money';
import { DataTable } from '../../table/DataTable';
import { REFUND_STAGE_LABELS } from './words';

const col = createColumnHelper<RefundSummary>();

function refundColumns(reasonLabel: (code: string) => string, onOrder: (orderId: string) => void) {
  return [
    col.accessor('stage', {
      header: 'Stage',
      cell: (c) => <span className={`refund-stage stage-${c.getValue()}`}>{REFUND_STAGE_LABELS[c.getValue()]}</span>,
    }),
    col.accessor('refundId', { header: 'Refund', cell: (c) => <span className="mono">{c.getValue()}</span> }),
    col.accessor('orderId', {
      header: 'Order',
      cell: (c) => (
        <button type="button" className="link" aria-label={`Timeline of order ${c.getValue()}`} onClick={() => onOrder(c.getValue())}>
          {c.getValue()}
        </button>
      ),
    }),
    col.accessor('sku', {
      header: 'Line',
      cell: ({ row }) => (
        <>
          {row.original.sku ?? '—'} <span className="muted mono">{row.original.orderLineId}</span>
        </>
      ),
    }),
    col.accessor('quantity', { header: 'Qty', cell: (c) => c.getValue() }),
    col.accessor('amount', { header: 'Amount', cell: ({ row }) => formatMoney(row.original.amount, row.original.currency) }),
    col.accessor('shippingAmount', { header: 'Shipping', cell: ({ row }) => formatMoney(row.original.shippingAmount, row.original.currency) }),
    col.accessor('reasonCode', { header: 'Reason', cell: (c) => (c.getValue() ? reasonLabel(c.getValue()!) : '—') }),
    col.accessor('returnId', { header: 'Return', cell: (c) => c.getValue() ?? 'No return' }),
    col.accessor('creditMemoDocNum', { header: 'Credit Memo', cell: (c) => c.getValue() ?? '—' }),
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

/** Refunds on order lines (from this console, John Lewis's back office, or a return) and the Credit Memo each became. */
export function RefundsTable({
  list,
  filtered,
  reasons,
  onOrder,
}: {
  list: ListView<RefundSummary>;
  filtered: boolean;
  reasons: readonly { code: string; label: string }[];
  onOrder: (orderId: string) => void;
}) {
  const columns = useMemo(() => {
    const labels = new Map(reasons.map((r) => [r.code, r.label]));
    return refundColumns((code) => labels.get(code) ?? code, onOrder);
  }, [reasons, onOrder]);
  return (
    <DataTable
      label="Refunds"
      testId="refunds-table"
      what="refunds"
      list={list}
      columns={columns}
      rowId={(r) => r.refundId}
      rowTestId={(r) => `refund-${r.refundId}`}
      className="refunds-grid"
      empty={filtered ? 'No refunds match this search.' : 'No refunds yet: they appear when the returns flow reads them from John Lewis.'}
    />
  );
}
