import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import type { OrderSummary } from '../../../shared/contract/orders';
import { deadline, formatRelative } from '../../format/time';

const col = createColumnHelper<OrderSummary>();

/** The orders queue: state, marketplace order id, customer's number, SAP DocNum, age, deadline. */
export function OrdersTable({ rows, now, onOpen }: { rows: OrderSummary[]; now: number; onOpen: (orderId: string) => void }) {
  const columns = [
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
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is not React-Compiler-safe; this component is not compiled.
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.orderId });
  return (
    <div className="table-scroll">
      <table className="grid" aria-label="Orders" data-testid="orders-table">
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <th key={h.id} scope="col">
                  {flexRender(h.column.columnDef.header, h.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-testid={`order-${row.id}`}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
