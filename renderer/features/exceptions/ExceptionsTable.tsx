import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { useNow } from '../../format/use-now';
import { loadExceptionDetail, loadExceptions } from '../../store/bind';
import { useApi, useConsole, useConsoleStore } from '../../store/react';
import { exceptionColumns } from './columns';

const ROW_HEIGHT = 32;
/** Ask for the next page when the operator scrolls within this many rows of the end of what is loaded. */
const PREFETCH_ROWS = 20;

export function ExceptionsTable() {
  const api = useApi();
  const store = useConsoleStore();
  const ids = useConsole((s) => s.exceptions.ids);
  const byId = useConsole((s) => s.exceptions.byId);
  const total = useConsole((s) => s.exceptions.total);
  const loading = useConsole((s) => s.exceptions.loading);
  const selectedId = useConsole((s) => s.exceptions.selectedId);
  const detailOpen = selectedId !== null;
  const now = useNow();
  const data = useMemo(() => ids.flatMap((id) => byId[id] ?? []), [ids, byId]);
  const scrollRef = useRef<HTMLDivElement>(null);

  // Paging, filtering and sorting happen in the engine; the table only lays out the loaded window.
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is not React-Compiler-safe; this component is not compiled.
  const table = useReactTable({
    data,
    columns: exceptionColumns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(row.id),
    manualPagination: true,
    manualFiltering: true,
    manualSorting: true,
    meta: { now },
    // With the detail panel open the table is narrower: drop the columns the panel repeats.
    state: { columnVisibility: { type: !detailOpen, lastSeenAt: !detailOpen } },
  });
  const rows = table.getRowModel().rows;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? i,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (lastIndex >= rows.length - PREFETCH_ROWS && rows.length < total && !loading) void loadExceptions(api, store, true);
  }, [lastIndex, rows.length, total, loading, api, store]);

  const select = (id: number) => {
    store.getState().selectException(id);
    void loadExceptionDetail(api, store, id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    const row = rows[index];
    if (!row) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select(row.original.id);
      return;
    }
    const next = event.key === 'ArrowDown' ? index + 1 : event.key === 'ArrowUp' ? index - 1 : -1;
    if (next < 0 || next >= rows.length) return;
    event.preventDefault();
    virtualizer.scrollToIndex(next);
    // The target row may only exist after the virtualiser re-renders.
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
  };

  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const columnCount = table.getVisibleLeafColumns().length;

  return (
    <div className="table-scroll" ref={scrollRef} data-testid="exceptions-table">
      <table className="grid exceptions-grid" aria-label="Exceptions" aria-rowcount={total + 1}>
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
            const selected = row.original.id === selectedId;
            return (
              <tr
                key={row.id}
                data-index={item.index}
                data-testid={`exception-${row.original.id}`}
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                tabIndex={0}
                className={`clickable ${selected ? 'selected' : ''}`}
                onClick={() => select(row.original.id)}
                onKeyDown={(e) => onKeyDown(e, item.index)}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`col-${cell.column.id}`}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
          {padBottom > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={columnCount} style={{ height: padBottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
      {rows.length === 0 && !loading ? <p className="empty">No exceptions match these filters.</p> : null}
      {loading ? (
        <p className="loading" role="status">
          Loading…
        </p>
      ) : null}
    </div>
  );
}
