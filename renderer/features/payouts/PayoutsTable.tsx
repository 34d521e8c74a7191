import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { PayoutSummary } from '../../../shared/contract/settlement';
import type { ListView } from '../../data/use-contract-query';
import { formatMoney } from '../../format/money';
import { DataTable } from '../../table/DataTable';
import { cycleDates, postedText, tieOutText } from './words';

const col = createColumnHelper<PayoutSummary>();

export interface CycleSelection {
  /** Cycle ids ticked for "Post to SAP". */
  selected: ReadonlySet<string>;
  onSelect: (cycleId: string, on: boolean) => void;
}

function cycleColumns(s: CycleSelection) {
  return [
    col.display({
      id: 'select',
      header: () => <span className="sr-only">Select</span>,
      cell: ({ row }) =>
        row.original.posted === null ? (
          <input
            type="checkbox"
            aria-label={`Select cycle ${row.original.cycleId}`}
            checked={s.selected.has(row.original.cycleId)}
            // Ticking is not opening: the row's own click opens the cycle.
            onClick={(e) => e.stopPropagation()}
            onKeyDown={(e) => e.stopPropagation()}
            onChange={(e) => s.onSelect(row.original.cycleId, e.target.checked)}
          />
        ) : null,
    }),
    col.accessor('cycleId', { header: 'Cycle', cell: (c) => <span className="mono">{c.getValue()}</span> }),
    col.accessor('startDate', {
      header: 'Dates',
      cell: ({ row }) => cycleDates(row.original),
    }),
    col.accessor('amountTransferred', { header: 'Transferred', cell: ({ row }) => formatMoney(row.original.amountTransferred, row.original.currency) }),
    col.accessor('tieOut', {
      header: 'Tie-out',
      cell: ({ row }) => <span className={`tie-out tie-out-${row.original.tieOut}`}>{tieOutText(row.original)}</span>,
    }),
    col.accessor('variances', { header: 'Variances', cell: (c) => <span className={c.getValue() > 0 ? 'bad' : undefined}>{c.getValue()}</span> }),
    col.accessor('unpaidInSap', { header: 'Unpaid in SAP', cell: (c) => <span className={c.getValue() > 0 ? 'bad' : undefined}>{c.getValue()}</span> }),
    col.accessor('posted', { header: 'Posted in SAP', cell: (c) => <span className={c.getValue() ? undefined : 'muted'}>{postedText(c.getValue())}</span> }),
  ];
}

/** Billing cycles, newest first: dates, money transferred, whether it ties out, variances, SAP documents unpaid, posted; a row opens the cycle. */
export function PayoutsTable({
  list,
  filtered,
  selection,
  selectedId,
  onOpen,
}: {
  list: ListView<PayoutSummary>;
  filtered: boolean;
  selection: CycleSelection;
  selectedId: string | null;
  onOpen: (cycleId: string) => void;
}) {
  const columns = useMemo(() => cycleColumns(selection), [selection]);
  return (
    <DataTable
      label="Payouts"
      testId="payouts-table"
      what="payouts"
      list={list}
      columns={columns}
      rowId={(c) => c.cycleId}
      rowTestId={(c) => `cycle-${c.cycleId}`}
      onOpen={(c) => onOpen(c.cycleId)}
      selectedId={selectedId}
      className="payouts-grid"
      empty={filtered ? 'No payouts match this filter.' : 'No billing cycles read yet: they appear once the settlement flow has read them from John Lewis.'}
    />
  );
}
