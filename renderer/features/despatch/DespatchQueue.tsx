import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import type { DespatchSummary } from '../../../shared/contract/despatch';
import { deadline, formatTimeOfDay } from '../../format/time';

const col = createColumnHelper<DespatchSummary>();

/** The despatch queue: order, delivery, SAP carrier, tracking, state, deadline; a held despatch opens the correction form. */
export function DespatchQueue({ rows, now, onCorrect }: { rows: DespatchSummary[]; now: number; onCorrect: (orderId: string) => void }) {
  const columns = [
    col.accessor('state', {
      header: 'State',
      cell: ({ row }) => {
        const r = row.original;
        // A person's correction accepted and waiting its turn: its outcome replaces this when it comes.
        if (r.sending) {
          return (
            <span
              className="despatch-state sending"
              title={r.sending.sendsAt ? `Queued: sends at ${formatTimeOfDay(r.sending.sendsAt)}` : 'Queued: sends when the run in progress ends'}
            >
              sending
            </span>
          );
        }
        return <span className={`despatch-state ${r.state}`}>{r.state}</span>;
      },
    }),
    col.accessor('orderId', { header: 'Order' }),
    col.accessor('numAtCard', { header: "Customer's number", cell: (c) => c.getValue() ?? '—' }),
    col.accessor('deliveryDocNum', {
      header: 'Delivery',
      cell: ({ row }) =>
        `${row.original.deliveryDocNum ?? row.original.deliveryDocEntry}${row.original.deliveries > 1 ? ` (${row.original.deliveries} notes)` : ''}`,
    }),
    col.accessor('sapCarrier', { header: 'SAP carrier', cell: (c) => c.getValue() ?? '—' }),
    col.accessor('trackingNumber', { header: 'Tracking', cell: ({ row }) => row.original.correctedTrackingNumber ?? row.original.trackingNumber ?? '—' }),
    col.accessor('carrierCode', {
      header: 'Marketplace carrier',
      cell: ({ row }) => row.original.carrierCode ?? (row.original.carrierName ? `${row.original.carrierName} (named carrier)` : '—'),
    }),
    col.display({
      id: 'deadline',
      header: 'Deadline',
      cell: ({ row }) => {
        const due = row.original.state === 'confirmed' ? null : row.original.shippingDeadline;
        if (!due) return '—';
        const d = deadline(due, now);
        return <span className={`deadline ${d.urgency}`}>{d.text}</span>;
      },
    }),
    col.display({
      id: 'problem',
      header: 'Problem',
      cell: ({ row }) => {
        const r = row.original;
        return (
          <>
            {r.exception ? <span title={r.exception.rawError ?? undefined}>{r.exception.summary} </span> : null}
            {r.state !== 'confirmed' && !r.sending ? (
              <button type="button" className="link" onClick={() => onCorrect(r.orderId)} aria-label={`Correct despatch ${r.orderId}`}>
                Correct
              </button>
            ) : null}
          </>
        );
      },
    }),
  ];
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is not React-Compiler-safe; this component is not compiled.
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.orderId });
  return (
    <div className="table-scroll">
      <table className="grid" aria-label="Despatches" data-testid="despatch-table">
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <th key={h.id}>{flexRender(h.column.columnDef.header, h.getContext())}</th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((r) => (
            <tr key={r.id} data-testid={`despatch-${r.id}`}>
              {r.getVisibleCells().map((c) => (
                <td key={c.id}>{flexRender(c.column.columnDef.cell, c.getContext())}</td>
              ))}
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length}>No despatches yet: they appear when SAP posts a Delivery Note for a marketplace order.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
