import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { OrderSummary } from '../../../shared/contract/orders';
import type { ListView } from '../../data/use-contract-query';
import { deadline, formatRelative } from '../../format/time';
import { DataTable } from '../../table/DataTable';

const col = createColumnHelper<OrderSummary>();

function orderColumns(now: number, onOpen: (orderId: string) => void) {
  return [
    col.accessor('stage', { header: 'Stage' }),
    col.accessor('marketplaceState', { header: 'Marketplace', cell: (c) => c.getValue() ?? '—' }),
    col.accessor('orderId', {
      header: 'Order',
      cell: (c) => (
        <button type="button" className="link" onClick={() => onOpen(c.getValue())}>
          {c.getValue()}
        </button>
      ),
    }),
    col.accessor('numAtCard', { header: "Customer's number", cell: (c) => c.getValue() ?? '—' }),
    col.accessor('docNum', { header: 'SAP DocNum', cell: (c) => c.getValue() ?? '—' }),
    col.accessor('createdDate', { header: 'Age', cell: (c) => formatRelative(c.getValue(), now) }),
    col.display({
      id: 'deadline',
      header: 'Deadline',
      cell: ({ row }) => {
        const r = row.original;
        const due =
          r.stage === 'held' || r.stage === 'awaiting-acceptance'
            ? r.acceptanceDeadline
            : r.stage === 'posted' || r.stage === 'closed' || r.stage === 'history'
              ? null
              : r.shippingDeadline;
        if (!due) return '—';
        const d = deadline(due, now);
        return <span className={`deadline ${d.urgency}`}>{d.text}</span>;
      },
    }),
  ];
}

/** The orders queue: state, marketplace order id, customer's number, SAP DocNum, age, deadline. */
export function OrdersTable({
  list,
  now,
  filtered,
  onOpen,
}: {
  list: ListView<OrderSummary>;
  now: number;
  filtered: boolean;
  onOpen: (orderId: string) => void;
}) {
  const columns = useMemo(() => orderColumns(now, onOpen), [now, onOpen]);
  return (
    <DataTable
      label="Orders"
      testId="orders-table"
      what="orders"
      list={list}
      columns={columns}
      rowId={(r) => r.orderId}
      rowTestId={(r) => `order-${r.orderId}`}
      empty={filtered ? 'No orders match this search.' : 'No marketplace orders yet: they appear after the next orders run reads them.'}
    />
  );
}
