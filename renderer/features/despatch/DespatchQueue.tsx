import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { DespatchSummary } from '../../../shared/contract/despatch';
import type { ListView } from '../../data/use-contract-query';
import { deadline, formatTimeOfDay } from '../../format/time';
import { DataTable } from '../../table/DataTable';

const col = createColumnHelper<DespatchSummary>();

function despatchColumns(now: number, onCorrect: (orderId: string) => void) {
  return [
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
}

/** The despatch queue: order, delivery, SAP carrier, tracking, state, deadline; a held despatch opens the correction form. */
export function DespatchQueue({
  list,
  now,
  filtered,
  onCorrect,
}: {
  list: ListView<DespatchSummary>;
  now: number;
  filtered: boolean;
  onCorrect: (orderId: string) => void;
}) {
  const columns = useMemo(() => despatchColumns(now, onCorrect), [now, onCorrect]);
  return (
    <DataTable
      label="Despatches"
      testId="despatch-table"
      what="despatches"
      list={list}
      columns={columns}
      rowId={(r) => r.orderId}
      rowTestId={(r) => `despatch-${r.orderId}`}
      empty={filtered ? 'No despatches match this search.' : 'No despatches yet: they appear when SAP posts a Delivery Note for a marketplace order.'}
    />
  );
}
