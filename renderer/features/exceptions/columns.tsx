import { createColumnHelper } from '@tanstack/react-table';
import type { ExceptionRecord } from '../../../shared/domain/exceptions';
import { deadline, formatDateTime, formatRelative } from '../../format/time';
import { CATEGORY_LABELS, FLOW_LABELS, SEVERITY_LABELS, STATE_LABELS, humanise } from '../../format/words';
import { ExceptionHelpLink } from '../handbook/HelpLink';

const col = createColumnHelper<ExceptionRecord>();

/** Column definitions; `now` is passed through the table's meta so relative times refresh without rebuilding columns. */
export interface ExceptionTableMeta {
  now: number;
  /** Ticked for a bulk action. */
  checked: ReadonlySet<number>;
  check(ids: readonly number[], on: boolean | null): void;
}

const metaOf = (table: { options: { meta?: unknown } }) => table.options.meta as ExceptionTableMeta;
const nowOf = (table: { options: { meta?: unknown } }) => metaOf(table).now;

export const exceptionColumns = [
  col.display({
    id: 'check',
    header: ({ table }) => {
      const ids = table.getRowModel().rows.map((r) => r.original.id);
      const { checked, check } = metaOf(table);
      const all = ids.length > 0 && ids.every((id) => checked.has(id));
      return <input type="checkbox" aria-label="Tick every exception loaded" checked={all} onChange={() => check(ids, !all)} />;
    },
    cell: ({ row, table }) => {
      const { checked, check } = metaOf(table);
      const e = row.original;
      return (
        <input
          type="checkbox"
          aria-label={`Tick ${e.record.key}`}
          checked={checked.has(e.id)}
          // Ticking is not opening: the row's own click opens the detail.
          onClick={(event) => event.stopPropagation()}
          onKeyDown={(event) => event.stopPropagation()}
          onChange={() => check([e.id], null)}
        />
      );
    },
  }),
  col.accessor('severity', {
    header: 'Severity',
    cell: (c) => <span className={`sev sev-${c.getValue()}`}>{SEVERITY_LABELS[c.getValue()]}</span>,
  }),
  col.accessor('category', { header: 'Kind', cell: (c) => <span className={`category category-${c.getValue()}`}>{CATEGORY_LABELS[c.getValue()]}</span> }),
  col.accessor('flow', { header: 'Flow', cell: (c) => FLOW_LABELS[c.getValue()] }),
  col.accessor('type', {
    header: 'Type',
    // The name gives way to the column's width; the handbook's "?" always shows.
    cell: (c) => (
      <span className="type-cell">
        <span className="type-name" title={humanise(c.getValue())}>
          {humanise(c.getValue())}
        </span>
        <ExceptionHelpLink exception={c.row.original} />
      </span>
    ),
  }),
  col.accessor((r) => `${r.record.type} ${r.record.key}`, {
    id: 'record',
    header: 'Record',
    cell: (c) => (
      <>
        <span className="record-type">{humanise(c.row.original.record.type)}</span> <span className="mono">{c.row.original.record.key}</span>
      </>
    ),
  }),
  col.accessor('summary', { header: 'Summary', cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
  col.accessor('occurrences', { header: 'Seen', cell: (c) => (c.getValue() > 1 ? `${c.getValue()}×` : '1×') }),
  col.accessor('lastSeenAt', {
    header: 'Last seen',
    cell: (c) => (
      <time dateTime={c.getValue()} title={formatDateTime(c.getValue())}>
        {formatRelative(c.getValue(), nowOf(c.table))}
      </time>
    ),
  }),
  col.accessor('deadlineAt', {
    header: 'Deadline',
    cell: (c) => {
      const d = deadline(c.getValue(), nowOf(c.table));
      return (
        <span className={`deadline deadline-${d.urgency}`} title={formatDateTime(c.getValue())}>
          {d.text}
        </span>
      );
    },
  }),
  col.accessor('state', { header: 'State', cell: (c) => <span className={`state state-${c.getValue()}`}>{STATE_LABELS[c.getValue()]}</span> }),
];
