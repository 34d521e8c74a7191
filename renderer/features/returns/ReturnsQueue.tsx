import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { ReturnSummary } from '../../../shared/contract/finance';
import type { ListView } from '../../data/use-contract-query';
import { DataTable } from '../../table/DataTable';
import { RETURN_STAGE_LABELS } from './words';

const col = createColumnHelper<ReturnSummary>();

export interface ReturnActions {
  /** Return ids ticked for "Received". */
  selected: ReadonlySet<string>;
  /** Whether the warehouse books goods in from this screen (not by keying a Return in SAP). */
  receiveHere: boolean;
  /** The operator has given their name: every action is recorded against it. */
  canAct: boolean;
  onSelect: (returnId: string, on: boolean) => void;
  onAccept: (returnId: string) => void;
  onRefuse: (returnId: string) => void;
  onRefund: (orderId: string) => void;
  onOrder: (orderId: string) => void;
}

/**
 * A return on its way back can be booked in, and so can a blocked one (the engine takes it when the marketplace still
 * expects its goods, and says why not otherwise).
 */
export const receivable = (r: ReturnSummary) => r.stage === 'awaiting-goods' || r.stage === 'blocked';

function returnColumns(a: ReturnActions) {
  return [
    col.display({
      id: 'select',
      header: () => <span className="sr-only">Select</span>,
      cell: ({ row }) =>
        a.receiveHere && receivable(row.original) ? (
          <input
            type="checkbox"
            aria-label={`Select return ${row.original.rma ?? row.original.returnId}`}
            checked={a.selected.has(row.original.returnId)}
            onChange={(e) => a.onSelect(row.original.returnId, e.target.checked)}
          />
        ) : null,
    }),
    col.accessor('stage', {
      header: 'Stage',
      cell: (c) => <span className={`return-stage stage-${c.getValue()}`}>{RETURN_STAGE_LABELS[c.getValue()]}</span>,
    }),
    col.accessor('returnId', {
      header: 'Return / RMA',
      cell: ({ row }) => (
        <>
          {row.original.rma ? <strong>{row.original.rma}</strong> : null} <span className="mono muted">{row.original.returnId}</span>
        </>
      ),
    }),
    col.accessor('orderId', {
      header: 'Order',
      cell: (c) => {
        const orderId = c.getValue();
        return orderId ? (
          <button type="button" className="link" aria-label={`Timeline of order ${orderId}`} onClick={() => a.onOrder(orderId)}>
            {orderId}
          </button>
        ) : (
          '—'
        );
      },
    }),
    col.accessor('numAtCard', { header: "Customer's number", cell: (c) => c.getValue() ?? '—' }),
    col.accessor('marketplaceState', { header: 'Marketplace', cell: (c) => c.getValue() ?? '—' }),
    col.accessor('lines', {
      header: 'Items',
      cell: (c) =>
        c
          .getValue()
          .map((l) => `${l.sku ?? l.orderLineId} × ${l.quantity}`)
          .join(', ') || '—',
    }),
    col.accessor('sapReturnDocNum', { header: 'SAP Return', cell: (c) => c.getValue() ?? '—' }),
    col.accessor('creditMemoDocNums', { header: 'Credit Memo', cell: (c) => (c.getValue().length ? c.getValue().join(', ') : '—') }),
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
    col.display({
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row }) => {
        const r = row.original;
        const name = r.rma ?? r.returnId;
        return (
          <span className="row-actions">
            {r.awaitingDecision ? (
              <>
                <button type="button" className="small" aria-label={`Accept return ${name}`} disabled={!a.canAct} onClick={() => a.onAccept(r.returnId)}>
                  Accept
                </button>
                <button type="button" className="small" aria-label={`Refuse return ${name}`} disabled={!a.canAct} onClick={() => a.onRefuse(r.returnId)}>
                  Refuse…
                </button>
              </>
            ) : null}
            {r.orderId ? (
              <button type="button" className="small" aria-label={`Refund on order ${r.orderId}`} onClick={() => a.onRefund(r.orderId!)}>
                Refund…
              </button>
            ) : null}
          </span>
        );
      },
    }),
  ];
}

/** The returns queue: return and RMA, order, customer's number, marketplace state, stage, the SAP documents, problem. */
export function ReturnsQueue({ list, filtered, actions }: { list: ListView<ReturnSummary>; filtered: boolean; actions: ReturnActions }) {
  const columns = useMemo(() => returnColumns(actions), [actions]);
  return (
    <DataTable
      label="Returns"
      testId="returns-table"
      what="returns"
      list={list}
      columns={columns}
      rowId={(r) => r.returnId}
      rowTestId={(r) => `return-${r.returnId}`}
      className="returns-grid"
      empty={filtered ? 'No returns match this search.' : 'No returns yet: they appear when the returns flow reads them from John Lewis.'}
    />
  );
}
