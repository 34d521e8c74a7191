import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type Row as TableRow, type TableMeta, type VisibilityState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ListView } from '../data/use-contract-query';
import { EXPORT_MAX_ROWS, exportFileName, saveFile, tableCsv } from './csv-export';

/** Ask for the next page when the operator scrolls within this many rows of the end of what is loaded. */
const PREFETCH_ROWS = 20;

export interface DataTableProps<Row> {
  /** The table's accessible name, e.g. "Orders". */
  label: string;
  /** On the scrolling box; the messages take it as a prefix (`orders-table-error`, `orders-table-empty`). */
  testId: string;
  /** What the rows are, in the operator's words, for the messages: "Could not load orders: …". */
  what: string;
  list: ListView<Row>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TanStack's own column type: each column has its own value type.
  columns: ColumnDef<Row, any>[];
  rowId: (row: Row) => string;
  rowTestId?: (row: Row) => string;
  /** What "no rows" says: what the list would hold, and why it is empty. */
  empty: ReactNode;
  /** A row opens (click, Enter or Space); without it rows are not focusable and carry their own buttons. */
  onOpen?: (row: Row) => void;
  selectedId?: string | null;
  columnVisibility?: VisibilityState;
  meta?: TableMeta<Row>;
  /** Grows with a flex column (a screen that is all list); otherwise the list scrolls within a bounded height. */
  fill?: boolean;
  /** On the table, for column widths. */
  className?: string;
  estimateRowHeight?: number;
  /**
   * Every row is exactly estimateRowHeight pixels (the stylesheet fixes it): rows are not measured as they appear,
   * which spares the browser a layout in every scrolled frame of a long list.
   */
  fixedRowHeight?: boolean;
}

/**
 * Every list in the console: the engine filters and pages in the ledger, this lays out the rows loaded so far
 * (only those in view are in the page), asks for the next page near the end, and says plainly whether it is
 * loading, failed, or has nothing: a failed query is never shown as an empty list.
 */
export function DataTable<Row>({
  label,
  testId,
  what,
  list,
  columns,
  rowId,
  rowTestId,
  empty,
  onOpen,
  selectedId = null,
  columnVisibility,
  meta,
  fill = false,
  className = '',
  estimateRowHeight = 32,
  fixedRowHeight = false,
}: DataTableProps<Row>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [exportState, setExport] = useState<string | null>(null);

  // Paging, filtering and sorting happen in the engine; the table only lays out the loaded rows.
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is not React-Compiler-safe; this component is not compiled.
  const table = useReactTable({
    data: list.rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: rowId,
    manualPagination: true,
    manualFiltering: true,
    manualSorting: true,
    ...(meta ? { meta } : {}),
    state: { columnVisibility: columnVisibility ?? {} },
  });
  const rows = table.getRowModel().rows;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateRowHeight,
    getItemKey: (i) => rows[i]?.id ?? i,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasMore, loadingMore, moreFailed, stale } = list;

  useEffect(() => {
    // Not after a failed page: the operator asks again with the button, rather than the list hammering the engine.
    if (hasMore && !loadingMore && !moreFailed && !stale && lastIndex >= rows.length - PREFETCH_ROWS) list.loadMore();
  }, [lastIndex, rows.length, hasMore, loadingMore, moreFailed, stale, list]);

  const keyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    const row = rows[index];
    if (!row || !onOpen) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(row.original);
      return;
    }
    const next = event.key === 'ArrowDown' ? index + 1 : event.key === 'ArrowUp' ? index - 1 : -1;
    if (next < 0 || next >= rows.length) return;
    event.preventDefault();
    virtualizer.scrollToIndex(next);
    // The target row may only exist after the virtualiser re-renders.
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
  };
  // One handler for the table's life, reading the latest rows, so a memoised row never holds a stale list.
  const keyDownRef = useRef(keyDown);
  useEffect(() => {
    keyDownRef.current = keyDown;
  });
  const [onKeyDown] = useState(() => (event: KeyboardEvent<HTMLTableRowElement>, index: number) => keyDownRef.current(event, index));

  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const columnCount = table.getVisibleLeafColumns().length;
  const failedFirst = list.status === 'error';

  const exportCsv = async () => {
    setExport('Exporting…');
    try {
      const { rows: all, complete } = await list.fetchAll(EXPORT_MAX_ROWS);
      saveFile(exportFileName(label), tableCsv(table.getAllLeafColumns(), all));
      setExport(
        complete ? `${all.length} ${all.length === 1 ? 'row' : 'rows'} exported` : `The first ${all.length} rows exported: narrow the filter for the rest`,
      );
    } catch (error) {
      setExport(`Could not export the ${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <div className={`data-table ${fill ? 'fill' : 'bounded'}`}>
      {list.status === 'ready' && list.rows.length > 0 ? (
        <div className="table-tools">
          {exportState ? (
            <span className="muted" role="status">
              {exportState}
            </span>
          ) : null}
          <button
            type="button"
            className="small"
            disabled={exportState === 'Exporting…'}
            aria-label={`Export CSV of the ${what}`}
            onClick={() => void exportCsv()}
          >
            Export CSV
          </button>
        </div>
      ) : null}
      {list.error && !failedFirst && !list.moreFailed ? (
        <p className="notice notice-error" role="alert" data-testid={`${testId}-error`}>
          Could not refresh the {what}: {list.error} Showing what was loaded before.{' '}
          <button type="button" className="small" onClick={() => list.refetch()}>
            Try again
          </button>
        </p>
      ) : null}
      {/* Focusable, so the list scrolls from the keyboard even where its rows are not (a table without row actions). */}
      <div
        className="table-scroll"
        ref={scrollRef}
        data-testid={testId}
        aria-busy={list.status === 'loading' || stale}
        tabIndex={0}
        role="region"
        aria-label={`${label}, scrollable`}
      >
        {failedFirst ? (
          <p className="notice notice-error" role="alert" data-testid={`${testId}-error`}>
            Could not load the {what}: {list.error}{' '}
            <button type="button" className="small" onClick={() => list.refetch()}>
              Try again
            </button>
          </p>
        ) : (
          <table className={`grid ${className} ${stale ? 'stale' : ''}`} aria-label={label} aria-rowcount={list.total === null ? -1 : list.total + 1}>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((h) => (
                    <th key={h.id} scope="col" className={`col-${h.column.id}`}>
                      {flexRender(h.column.columnDef.header, h.getContext())}
                    </th>
                  ))}
                </tr>
              ))}
            </thead>
            <tbody>
              {padTop > 0 ? (
                <tr aria-hidden="true">
                  <td colSpan={columnCount} style={{ height: padTop }} />
                </tr>
              ) : null}
              {items.map((item) => {
                const row = rows[item.index];
                if (!row) return null;
                return (
                  <DataRow
                    key={row.id}
                    row={row}
                    index={item.index}
                    selected={row.id === selectedId}
                    measure={fixedRowHeight ? undefined : virtualizer.measureElement}
                    testId={rowTestId?.(row.original)}
                    onOpen={onOpen}
                    onKeyDown={onKeyDown}
                    meta={meta}
                    columnVisibility={columnVisibility}
                  />
                );
              })}
              {padBottom > 0 ? (
                <tr aria-hidden="true">
                  <td colSpan={columnCount} style={{ height: padBottom }} />
                </tr>
              ) : null}
              {list.status === 'loading' ? (
                <tr>
                  <td colSpan={columnCount} className="loading" role="status" data-testid={`${testId}-loading`}>
                    Loading the {what}…
                  </td>
                </tr>
              ) : rows.length === 0 ? (
                <tr>
                  <td colSpan={columnCount} className="empty" data-testid={`${testId}-empty`}>
                    {empty}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        )}
        {loadingMore ? (
          <p className="loading" role="status">
            Loading more {what}…
          </p>
        ) : null}
        {list.moreFailed ? (
          <p className="notice notice-error" role="alert" data-testid={`${testId}-error`}>
            Could not load more {what}: {list.error}{' '}
            <button type="button" className="small" onClick={() => list.loadMore()}>
              Try again
            </button>
          </p>
        ) : null}
      </div>
    </div>
  );
}

interface DataRowProps<Row> {
  row: TableRow<Row>;
  index: number;
  selected: boolean;
  measure: ((element: HTMLTableRowElement | null) => void) | undefined;
  testId: string | undefined;
  onOpen: ((row: Row) => void) | undefined;
  onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>, index: number) => void;
  /** Not read here: a row renders again when the cells' meta or the visible columns change, and only then. */
  meta: unknown;
  columnVisibility: VisibilityState | undefined;
}

/**
 * One row, rendered again only when its data, selection, position or the table's meta changed: while the list
 * scrolls, the rows already on screen are left alone and only those coming into view are rendered.
 */
const DataRow = memo(
  function DataRow<Row>({ row, index, selected, measure, testId, onOpen, onKeyDown }: DataRowProps<Row>) {
    return (
      <tr
        ref={measure}
        data-index={index}
        data-testid={testId}
        aria-rowindex={index + 2}
        {...(onOpen
          ? {
              tabIndex: 0,
              'aria-selected': selected,
              className: `clickable ${selected ? 'selected' : ''}`,
              onClick: () => onOpen(row.original),
              onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>) => onKeyDown(e, index),
            }
          : {})}
      >
        {row.getVisibleCells().map((cell) => (
          <td key={cell.id} className={`col-${cell.column.id}`}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        ))}
      </tr>
    );
  },
  // The same record under the same id renders the same: TanStack makes new row objects whenever a page is added.
  (before, after) =>
    before.row.original === after.row.original &&
    before.row.id === after.row.id &&
    before.index === after.index &&
    before.selected === after.selected &&
    before.measure === after.measure &&
    before.testId === after.testId &&
    before.onOpen === after.onOpen &&
    before.meta === after.meta &&
    before.columnVisibility === after.columnVisibility,
) as <Row>(props: DataRowProps<Row>) => ReactNode;
