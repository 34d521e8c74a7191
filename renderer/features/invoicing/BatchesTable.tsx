import { createColumnHelper } from '@tanstack/react-table';
import type { InvoiceBatch } from '../../../shared/contract/finance';
import type { ListView } from '../../data/use-contract-query';
import { formatMoney } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { DataTable } from '../../table/DataTable';

const col = createColumnHelper<InvoiceBatch>();

export const TRIGGER_LABELS: Record<InvoiceBatch['trigger'], string> = {
  schedule: 'Schedule',
  manual: 'Run now',
  return: 'For a refund or return',
};

const batchColumns = [
  col.accessor('startedAt', {
    header: 'When',
    cell: ({ row }) => (
      <>
        {formatDateTime(row.original.startedAt)}
        {row.original.endedAt === null ? <span className="muted"> running</span> : null}
      </>
    ),
  }),
  col.accessor('trigger', { header: 'Trigger', cell: (c) => TRIGGER_LABELS[c.getValue()] }),
  col.accessor('documents', { header: 'Orders', cell: (c) => c.getValue() }),
  col.accessor('posted', { header: 'Posted', cell: (c) => c.getValue() }),
  col.accessor('failed', { header: 'Failed', cell: (c) => <span className={c.getValue() > 0 ? 'bad' : undefined}>{c.getValue()}</span> }),
  col.accessor('total', { header: 'Total', cell: ({ row }) => formatMoney(row.original.total, row.original.currency) }),
  col.accessor('dryRun', { header: 'Dry run', cell: (c) => (c.getValue() ? <span className="small-pill">dry run: would post</span> : '') }),
];

/** Invoicing batches, newest first: when, what started it, how many orders, posted, failed, the total; a row opens its documents. */
export function BatchesTable({ list, selectedId, onOpen }: { list: ListView<InvoiceBatch>; selectedId: number | null; onOpen: (id: number) => void }) {
  return (
    <DataTable
      label="Invoicing batches"
      testId="batches-table"
      what="invoicing batches"
      list={list}
      columns={batchColumns}
      rowId={(b) => String(b.id)}
      rowTestId={(b) => `batch-${b.id}`}
      onOpen={(b) => onOpen(b.id)}
      selectedId={selectedId === null ? null : String(selectedId)}
      empty="No invoicing batch has run yet: the first runs at the time set for invoicing, or press Run invoicing now."
    />
  );
}
