import { useMemo, useState } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import { REFUND_STAGES, RETURN_STAGES, type RefundStage, type ReturnStage } from '../../../shared/domain/finance';
import { FlowNotice } from '../../app/FlowNotice';
import { useCommand } from '../../app/use-command';
import { onEvent, useContractList, useContractQuery } from '../../data/use-contract-query';
import { counted } from '../../format/words';
import { useConsole } from '../../store/react';
import { OrderTimelinePanel } from '../orders/OrderTimelinePanel';
import { RefundPanel } from './RefundForm';
import { RefundsTable } from './RefundsTable';
import { ReturnsSettingsPanel } from './ReturnsSettingsPanel';
import { ReturnsQueue, receivable, type ReturnActions } from './ReturnsQueue';
import { REFUND_STAGE_LABELS, REJECTION_REASONS, RETURN_STAGE_LABELS, type RejectionReason } from './words';
import './returns.css';

/** Returns and refunds change in returns runs, and a refund's stage when the invoicing flow invoices its order. */
const FINANCE_CHANGES = [
  onEvent('run.finished', (run) => run.flow === 'returns' || run.flow === 'invoicing'),
  onEvent('exception.changed', (e) => e.flow === 'returns'),
] as const;

type Message = { kind: 'done' | 'refused'; text: string; refused?: CommandResponse<'returns.markReceived'>['refused'] };

/** Returns: the returns, refunds and refund form; or the returns settings, as on the Orders screen. */
export function ReturnsScreen() {
  const [view, setView] = useState<'queue' | 'settings'>('queue');
  return (
    <div className="returns">
      <nav className="returns-view" aria-label="Returns views">
        <button type="button" aria-pressed={view === 'queue'} onClick={() => setView('queue')}>
          Returns and refunds
        </button>
        <button type="button" aria-pressed={view === 'settings'} onClick={() => setView('settings')}>
          Returns settings
        </button>
      </nav>
      {view === 'queue' ? <ReturnsWork onSettings={() => setView('settings')} /> : <ReturnsSettingsPanel />}
    </div>
  );
}

/** The queue of customers' returns with "Received" and the seller's decision, the refunds and their Credit Memos, and the refund form. */
function ReturnsWork({ onSettings }: { onSettings: () => void }) {
  const actor = useConsole((s) => s.ui.actor);
  const { busy, send, readOnly } = useCommand();
  const [stage, setStage] = useState<ReturnStage | ''>('');
  const [search, setSearch] = useState('');
  const [refundStage, setRefundStage] = useState<RefundStage | ''>('');
  const [refundSearch, setRefundSearch] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<Message | null>(null);
  const [refusing, setRefusing] = useState<string | null>(null);
  const [refundOrder, setRefundOrder] = useState<string | null>(null);
  const [orderToRefund, setOrderToRefund] = useState('');
  const [timelineOrder, setTimelineOrder] = useState<string | null>(null);

  const returns = useContractList(
    'returns.list',
    { ...(stage ? { stage } : {}), ...(search.trim() ? { search: search.trim() } : {}) },
    { pageSize: 100, debounceMs: 250, refetchOn: FINANCE_CHANGES, rowKey: (r) => r.returnId },
  );
  const refunds = useContractList(
    'refunds.list',
    { ...(refundStage ? { stage: refundStage } : {}), ...(refundSearch.trim() ? { search: refundSearch.trim() } : {}) },
    { pageSize: 100, debounceMs: 250, refetchOn: FINANCE_CHANGES, rowKey: (r) => r.refundId },
  );
  const reasons = useContractQuery('refunds.reasons', {});
  const settings = useContractQuery('settings.get', {});
  const receiveHere = settings.data?.returns.receivedBy !== 'sap-return';
  // Only a Credit Memo that takes goods back needs it: where a Return keyed in SAP moves them, it is not used.
  const warehouseMissing = settings.data?.returns.receivedBy === 'console' && settings.data.returns.warehouse === null;

  // Only returns still shown and still on their way back count as ticked.
  const ticked = useMemo(() => returns.rows.filter((r) => selected.has(r.returnId) && receivable(r)).map((r) => r.returnId), [returns.rows, selected]);

  const refresh = () => {
    returns.refetch();
    refunds.refetch();
  };

  const markReceived = async () => {
    if (!actor || ticked.length === 0) return;
    const res = await send('receive', 'returns.markReceived', { returnIds: ticked, actor });
    if (!res) return;
    setSelected(new Set());
    const done = res.accepted.length
      ? `${counted(res.accepted.length, 'return')} marked received: John Lewis is told at the next returns run, then the Credit Memo follows in SAP.`
      : 'No return was marked received.';
    setMessage({ kind: res.refused.length ? 'refused' : 'done', text: done, refused: res.refused });
    refresh();
  };

  const decide = async (returnId: string, accepted: boolean, reason?: RejectionReason) => {
    if (!actor) return;
    const res = await send('decide', 'returns.decide', { returnId, accepted, ...(reason ? { rejectionReasonCode: reason } : {}), actor });
    if (!res) return;
    const name = returns.rows.find((r) => r.returnId === returnId)?.rma ?? returnId;
    setRefusing(null);
    setMessage({
      kind: 'done',
      text: accepted ? `Return ${name} accepted.` : `Return ${name} refused: ${REJECTION_REASONS.find((r) => r.code === reason)?.label ?? ''}.`,
    });
    refresh();
  };

  const actions: ReturnActions = {
    selected,
    receiveHere,
    canAct: Boolean(actor) && !readOnly,
    onSelect: (id, on) =>
      setSelected((s) => {
        const next = new Set(s);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    onAccept: (id) => void decide(id, true),
    onRefuse: (id) => {
      setMessage(null);
      setRefusing(id);
    },
    onRefund: (orderId) => setRefundOrder(orderId),
    onOrder: setTimelineOrder,
  };

  const refusingRow = refusing ? returns.rows.find((r) => r.returnId === refusing) : undefined;
  return (
    <>
      <FlowNotice flow="returns" />
      {warehouseMissing ? (
        <section
          className="notice notice-warning returns-warehouse-missing"
          role="alert"
          aria-label="No returns warehouse"
          data-testid="returns-warehouse-missing"
        >
          <p>
            <strong>No returns warehouse is set.</strong> Returned goods cannot be credited back into SAP without one: a return marked received waits as a
            problem until it is chosen.
          </p>
          <button type="button" onClick={onSettings}>
            Choose the returns warehouse
          </button>
        </section>
      ) : null}
      {!actor ? <p className="warning">Give your name at the top first: every action on a return or refund is recorded against it.</p> : null}
      {timelineOrder ? <OrderTimelinePanel key={timelineOrder} orderId={timelineOrder} onClose={() => setTimelineOrder(null)} /> : null}
      {refundOrder ? (
        <RefundPanel key={refundOrder} orderId={refundOrder} refetchOn={FINANCE_CHANGES} onClose={() => setRefundOrder(null)} onSent={refresh} />
      ) : null}
      <section aria-label="Returns section">
        <h2>Returns</h2>
        <form className="filters" role="search" aria-label="Returns filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            Search
            <input placeholder="Return id, RMA, order id or customer's number" value={search} maxLength={200} onChange={(e) => setSearch(e.target.value)} />
          </label>
          <label>
            Stage
            <select value={stage} onChange={(e) => setStage(e.target.value as ReturnStage | '')}>
              <option value="">All stages</option>
              {RETURN_STAGES.map((s) => (
                <option key={s} value={s}>
                  {RETURN_STAGE_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <span className="count" data-testid="returns-total">
            {returns.status === 'ready' ? counted(returns.total ?? 0, 'return') : ''}
          </span>
        </form>
        <div className="returns-actions">
          {receiveHere ? (
            <>
              <button
                type="button"
                className="primary"
                disabled={!actor || readOnly || ticked.length === 0 || busy === 'receive'}
                onClick={() => void markReceived()}
              >
                {ticked.length ? `Mark ${counted(ticked.length, 'return')} received` : 'Mark received'}
              </button>
              <span className="muted">Tick the returns whose goods are back in the warehouse.</span>
            </>
          ) : (
            <span className="muted" data-testid="received-by-sap">
              The warehouse books returned goods in by keying a Return in SAP: the console marks a return received when it finds that Return.
            </span>
          )}
        </div>
        {message ? (
          <div role="status" data-testid="returns-message" data-kind={message.kind}>
            <p>{message.text}</p>
            {message.refused?.length ? (
              <>
                <p className="warning">{counted(message.refused.length, 'return')} not marked received:</p>
                <ul data-testid="returns-refused">
                  {message.refused.map((r) => (
                    <li key={r.returnId}>
                      {returns.rows.find((x) => x.returnId === r.returnId)?.rma ?? r.returnId}: {r.reason}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        ) : null}
        {refusing ? (
          <RefuseForm
            key={refusing}
            name={refusingRow?.rma ?? refusing}
            busy={busy === 'decide'}
            onRefuse={(reason) => void decide(refusing, false, reason)}
            onClose={() => setRefusing(null)}
          />
        ) : null}
        <ReturnsQueue list={returns} filtered={Boolean(stage || search.trim())} actions={actions} />
      </section>
      <section aria-label="Refunds section">
        <h2>Refunds</h2>
        <form
          className="filters refund-open"
          aria-label="Refund an order"
          onSubmit={(e) => {
            e.preventDefault();
            if (orderToRefund.trim()) setRefundOrder(orderToRefund.trim());
          }}
        >
          <label>
            Refund an order
            <input placeholder="Marketplace order id" value={orderToRefund} maxLength={100} onChange={(e) => setOrderToRefund(e.target.value)} />
          </label>
          <button type="submit" disabled={readOnly || !orderToRefund.trim()}>
            Open refund form
          </button>
        </form>
        <form className="filters" role="search" aria-label="Refunds filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            Search
            <input
              placeholder="Refund id, order id or customer's number"
              value={refundSearch}
              maxLength={200}
              onChange={(e) => setRefundSearch(e.target.value)}
            />
          </label>
          <label>
            Stage
            <select value={refundStage} onChange={(e) => setRefundStage(e.target.value as RefundStage | '')}>
              <option value="">All stages</option>
              {REFUND_STAGES.map((s) => (
                <option key={s} value={s}>
                  {REFUND_STAGE_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <span className="count" data-testid="refunds-total">
            {refunds.status === 'ready' ? counted(refunds.total ?? 0, 'refund') : ''}
          </span>
        </form>
        <RefundsTable list={refunds} filtered={Boolean(refundStage || refundSearch.trim())} reasons={reasons.data ?? []} onOrder={setTimelineOrder} />
      </section>
    </>
  );
}

/** Refusing a return needs one of the marketplace's three reasons. */
function RefuseForm({ name, busy, onRefuse, onClose }: { name: string; busy: boolean; onRefuse: (r: RejectionReason) => void; onClose: () => void }) {
  const [reason, setReason] = useState<RejectionReason | ''>('');
  return (
    <form
      className="panel refuse-form"
      aria-label={`Refuse return ${name}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (reason) onRefuse(reason);
      }}
    >
      <h3>Refuse return {name}</h3>
      <fieldset>
        <legend>Why</legend>
        {REJECTION_REASONS.map((r) => (
          <label key={r.code} className="check">
            <input type="radio" name="rejection-reason" value={r.code} checked={reason === r.code} onChange={() => setReason(r.code)} />
            {r.label}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="danger" disabled={!reason || busy}>
          Refuse return
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
