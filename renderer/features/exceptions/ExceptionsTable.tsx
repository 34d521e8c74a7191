import { useCallback, useMemo } from 'react';
import type { ExceptionRecord } from '../../../shared/domain/exceptions';
import type { ListView } from '../../data/use-contract-query';
import { useNow } from '../../format/use-now';
import { useConsole } from '../../store/react';
import { DataTable } from '../../table/DataTable';
import { exceptionColumns } from './columns';

export function ExceptionsTable({ list }: { list: ListView<ExceptionRecord> }) {
  const selectedId = useConsole((s) => s.exceptions.selectedId);
  const select = useConsole((s) => s.selectException);
  const checkedIds = useConsole((s) => s.exceptions.checked);
  const check = useConsole((s) => s.checkExceptions);
  const checked = useMemo(() => new Set(checkedIds), [checkedIds]);
  const detailOpen = selectedId !== null;
  const now = useNow();
  // Stable between renders, so a page arriving from the engine renders only the rows it brings, not those on screen.
  const meta = useMemo(() => ({ now, checked, check }), [now, checked, check]);
  const columnVisibility = useMemo(() => ({ type: !detailOpen, lastSeenAt: !detailOpen }), [detailOpen]);
  const open = useCallback((e: ExceptionRecord) => select(e.id), [select]);
  return (
    <DataTable
      label="Exceptions"
      testId="exceptions-table"
      what="exceptions"
      list={list}
      columns={exceptionColumns}
      rowId={(e) => String(e.id)}
      rowTestId={(e) => `exception-${e.id}`}
      empty="No exceptions match these filters."
      onOpen={open}
      selectedId={selectedId === null ? null : String(selectedId)}
      meta={meta}
      // With the detail panel open the table is narrower: drop the columns the panel repeats.
      columnVisibility={columnVisibility}
      className="exceptions-grid"
      // The stylesheet fixes an exception row at 32 px (.exceptions-grid td), so rows need not be measured.
      fixedRowHeight
      fill
    />
  );
}
