import type { Column } from '@tanstack/react-table';
import { stringify } from 'csv-stringify/browser/esm/sync';

/** The most rows one export fetches from the engine: a busy year of orders, in pages of 500. */
export const EXPORT_MAX_ROWS = 100_000;

/** A cell as a spreadsheet takes it: the value itself (ISO dates, decimal strings), not the screen's wording. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The table's data columns (those with a value and a written header) over these rows, as CSV with a header line. */
export function tableCsv<Row>(columns: readonly Column<Row, unknown>[], rows: readonly Row[]): string {
  const data = columns.filter((c) => c.accessorFn && typeof c.columnDef.header === 'string');
  const lines = [data.map((c) => c.columnDef.header as string), ...rows.map((row, i) => data.map((c) => cellText(c.accessorFn!(row, i))))];
  // The byte-order mark makes Excel read the file as UTF-8 (names with accents, £).
  return `\ufeff${stringify(lines, { record_delimiter: '\r\n' })}`;
}

/** "Exceptions" → "exceptions-2026-11-30.csv". */
export function exportFileName(label: string, now = new Date()): string {
  const day = now.toISOString().slice(0, 10);
  return `${label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}-${day}.csv`;
}

/** Hands the file to the browser (or the desktop window) to save. */
export function saveFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
