import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { PayoutLine, PayoutSummary, PayoutTotals, UnpaidDocument } from '../../../shared/contract/settlement';
import { PAYOUT_LINE_CLASSES, type PayoutLineClass } from '../../../shared/domain/finance';
import { listOf } from '../../data/static-list';
import { useContractList, useContractQuery, type RefetchTrigger } from '../../data/use-contract-query';
import { formatMoney } from '../../format/money';
import { formatDate, formatDateTime, formatMonth } from '../../format/time';
import { counted, humanise } from '../../format/words';
import { DataTable } from '../../table/DataTable';
import type { ExportRequest } from './use-payouts-export';
import { CLASS_LABELS, cycleDates, kindLabel, postedText, SAP_DOCUMENT_LABELS, tieOutText, TOTAL_ROWS } from './words';

/** What a cycle's detail can ask the screen to do (the screen keeps the outcome messages and the confirmation). */
export interface CycleActions {
  canAct: boolean;
  busy: string | null;
  onReconcile: (cycleId: string) => void;
  onPost: (cycleIds: string[]) => void;
  onExport: (request: ExportRequest) => void;
  onOrder: (orderId: string) => void;
}

const orderLink = (orderId: string | null, onOrder: (id: string) => void) =>
  orderId ? (
    <button type="button" className="link" aria-label={`Timeline of order ${orderId}`} onClick={() => onOrder(orderId)}>
      {orderId}
    </button>
  ) : (
    '—'
  );

const lineCol = createColumnHelper<PayoutLine>();

function lineColumns(currency: string | null, onOrder: (orderId: string) => void) {
  const money = (v: string) => formatMoney(v, currency);
  return [
    lineCol.accessor('class', {
      header: 'Class',
      cell: (c) => {
        const value = c.getValue();
        // Null: read, not yet checked against SAP (the cycle is still being read or reconciled).
        return value === null ? (
          <span className="line-class muted">Not checked yet</span>
        ) : (
          <span className={`line-class class-${value}`}>{CLASS_LABELS[value]}</span>
        );
      },
    }),
    lineCol.accessor('kind', {
      header: 'Kind',
      cell: ({ row }) => (
        <>
          {kindLabel(row.original.kind)} {row.original.typeCode ? <span className="muted mono">{row.original.typeCode}</span> : null}
        </>
      ),
    }),
    lineCol.accessor('date', { header: 'Date', cell: (c) => formatDateTime(c.getValue()) }),
    lineCol.accessor('month', { header: 'Month', cell: (c) => (c.getValue() ? formatMonth(c.getValue()!) : '—') }),
    lineCol.accessor('amount', { header: 'Amount', cell: (c) => money(c.getValue()) }),
    lineCol.accessor('paymentState', { header: 'Payment', cell: (c) => humanise(c.getValue()) }),
    lineCol.accessor('orderId', { header: 'Order', cell: (c) => orderLink(c.getValue(), onOrder) }),
    lineCol.accessor('numAtCard', { header: "Customer's number", cell: (c) => c.getValue() ?? '—' }),
    lineCol.accessor('refundId', { header: 'Refund', cell: (c) => c.getValue() ?? '—' }),
    lineCol.accessor('sapDocument', {
      header: 'SAP document',
      cell: (c) => {
        const d = c.getValue();
        return d ? `${SAP_DOCUMENT_LABELS[d.kind]} ${d.docNum}` : '—';
      },
    }),
    lineCol.accessor('difference', {
      header: 'Difference (SAP − marketplace)',
      cell: (c) => {
        const d = c.getValue();
        return d ? <span className="bad">{`net ${money(d.net)} · VAT ${money(d.vat)}`}</span> : '';
      },
    }),
  ];
}

const unpaidCol = createColumnHelper<UnpaidDocument>();

function unpaidColumns(currency: string | null, onOrder: (orderId: string) => void) {
  return [
    unpaidCol.accessor('kind', { header: 'SAP document', cell: ({ row }) => `${SAP_DOCUMENT_LABELS[row.original.kind]} ${row.original.docNum}` }),
    unpaidCol.accessor('orderId', { header: 'Order', cell: (c) => orderLink(c.getValue(), onOrder) }),
    unpaidCol.accessor('numAtCard', { header: "Customer's number", cell: (c) => c.getValue() ?? '—' }),
    unpaidCol.accessor('postingDate', { header: 'Posted', cell: (c) => formatDate(c.getValue()) }),
    unpaidCol.accessor('total', { header: 'Total', cell: (c) => formatMoney(c.getValue(), currency) }),
  ];
}

/** The whole cycle's totals beside each month's (a line dated in the next month counts there), with that month's export. */
function TotalsTable({ cycle, totals, months, actions }: { cycle: PayoutSummary; totals: PayoutTotals; months: PayoutTotals[]; actions: CycleActions }) {
  const money = (v: string) => formatMoney(v, cycle.currency);
  return (
    <div className="table-scroll payout-totals-scroll">
      <table className="grid payout-totals" aria-label="Totals" data-testid="payout-totals">
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">Total</span>
            </th>
            <th scope="col">Whole cycle</th>
            {months.map((m) => (
              <th scope="col" key={m.month} data-testid={`month-${m.month}`}>
                {m.month ? formatMonth(m.month) : '—'}
                {m.month ? (
                  <span className="month-export">
                    {(['csv', 'xlsx'] as const).map((format) => (
                      <button
                        key={format}
                        type="button"
                        className="small"
                        aria-label={`Export ${formatMonth(m.month!)} as ${format.toUpperCase()}`}
                        disabled={actions.busy !== null}
                        onClick={() => actions.onExport({ month: m.month!, format })}
                      >
                        {format.toUpperCase()}
                      </button>
                    ))}
                  </span>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {TOTAL_ROWS.map(([key, label]) => (
            <tr key={key} data-testid={`total-${key}`} className={key === 'netPayout' ? 'net-payout' : undefined}>
              <th scope="row">{label}</th>
              <td>{money(totals[key])}</td>
              {months.map((m) => (
                <td key={m.month}>{money(m[key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * One billing cycle: what was transferred and whether it ties out, its totals per month, its lines by class (each
 * order's line linked to the order's timeline, with the SAP document it pays), and the SAP documents of the period
 * it does not pay; reconcile it again, post it to SAP, export it.
 */
export function CycleDetail({
  cycleId,
  refetchOn,
  actions,
  onClose,
}: {
  cycleId: string;
  refetchOn: readonly RefetchTrigger[];
  actions: CycleActions;
  onClose: () => void;
}) {
  const detail = useContractQuery('payouts.get', { cycleId }, { refetchOn });
  const [lineClass, setLineClass] = useState<PayoutLineClass | ''>('');
  const [search, setSearch] = useState('');
  const lines = useContractList(
    'payouts.lines',
    { cycleId, ...(lineClass ? { class: lineClass } : {}), ...(search.trim() ? { search: search.trim() } : {}) },
    { pageSize: 100, debounceMs: 250, refetchOn, rowKey: (l) => l.lineId },
  );
  const data = detail.data;
  const currency = data?.cycle.currency ?? null;
  const { onOrder } = actions;
  const columns = useMemo(() => lineColumns(currency, onOrder), [currency, onOrder]);
  const unpaid = listOf(detail, (d) => d?.unpaidInSap ?? []);
  const unpaidCols = useMemo(() => unpaidColumns(currency, onOrder), [currency, onOrder]);

  return (
    <section className="detail cycle-detail" aria-label="Billing cycle" data-testid="cycle-detail">
      <div className="detail-head">
        <h2>
          Cycle <span className="mono">{cycleId}</span>
          {data ? ` · ${cycleDates(data.cycle)}` : ''}
        </h2>
        <button type="button" className="link" aria-label="Close the cycle" onClick={onClose}>
          ×
        </button>
      </div>
      {detail.status === 'error' ? (
        <p className="notice notice-error" role="alert" data-testid="cycle-error">
          Could not load cycle {cycleId}: {detail.error}{' '}
          <button type="button" className="small" onClick={() => detail.refetch()}>
            Try again
          </button>
        </p>
      ) : detail.status === 'loading' ? (
        <p className="loading">Loading cycle {cycleId}…</p>
      ) : data === null ? (
        <p className="empty">Cycle {cycleId} is not in the ledger.</p>
      ) : data ? (
        <>
          <p data-testid="cycle-summary">
            Transferred {formatMoney(data.cycle.amountTransferred, currency)}
            {data.cycle.payoutReference ? ` (reference ${data.cycle.payoutReference})` : ''} · Tie-out:{' '}
            <span className={`tie-out tie-out-${data.cycle.tieOut}`}>{tieOutText(data.cycle)}</span> · {counted(data.cycle.variances, 'variance')} ·{' '}
            {data.cycle.unpaidInSap} unpaid in SAP · {postedText(data.cycle.posted)}
            {data.cycle.reconciledAt ? ` · reconciled ${formatDateTime(data.cycle.reconciledAt)}` : ' · not reconciled yet'}
          </p>
          <div className="cycle-actions">
            <button type="button" disabled={!actions.canAct || actions.busy !== null} onClick={() => actions.onReconcile(cycleId)}>
              Reconcile again
            </button>
            {/* A posted cycle can be posted again once its Incoming Payment is cancelled in SAP (a reversal): the engine
                looks the payment up first and posts nothing while it still stands. */}
            <button
              type="button"
              className={data.cycle.posted ? '' : 'primary'}
              disabled={!actions.canAct || actions.busy !== null}
              onClick={() => actions.onPost([cycleId])}
            >
              {data.cycle.posted ? 'Post again after a reversal' : 'Post to SAP'}
            </button>
            <span className="muted">Export the cycle:</span>
            {(['csv', 'xlsx'] as const).map((format) => (
              <button
                key={format}
                type="button"
                aria-label={`Export the cycle as ${format.toUpperCase()}`}
                disabled={actions.busy !== null}
                onClick={() => actions.onExport({ cycleId, format })}
              >
                {format.toUpperCase()}
              </button>
            ))}
          </div>
          <TotalsTable cycle={data.cycle} totals={data.totals} months={data.months} actions={actions} />
        </>
      ) : null}
      <h3>Lines</h3>
      <div className="filters line-filters">
        <nav className="class-filter" aria-label="Lines by class">
          {(['', ...PAYOUT_LINE_CLASSES] as const).map((c) => (
            <button key={c || 'all'} type="button" aria-pressed={lineClass === c} onClick={() => setLineClass(c)}>
              {c ? CLASS_LABELS[c] : 'All lines'}
            </button>
          ))}
        </nav>
        <label>
          Search
          <input placeholder="Order id, customer's number or refund id" value={search} maxLength={200} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <span className="count" data-testid="lines-total">
          {lines.status === 'ready' ? counted(lines.total ?? 0, 'line') : ''}
        </span>
      </div>
      <DataTable
        label="Lines of the cycle"
        testId="payout-lines"
        what="lines of this cycle"
        list={lines}
        columns={columns}
        rowId={(l) => l.lineId}
        rowTestId={(l) => `line-${l.lineId}`}
        className="payout-lines-grid"
        empty={lineClass || search.trim() ? 'No lines of this cycle match.' : 'No lines read for this cycle yet.'}
      />
      <h3>SAP documents this cycle does not pay</h3>
      <DataTable
        label="SAP documents unpaid"
        testId="unpaid-in-sap"
        what="SAP documents this cycle does not pay"
        list={unpaid}
        columns={unpaidCols}
        rowId={(d) => `${d.kind}-${d.docEntry}`}
        rowTestId={(d) => `unpaid-${d.kind}-${d.docNum}`}
        empty="None: every marketplace invoice and credit memo SAP has for the period is paid by a payout line."
      />
    </section>
  );
}
