import type Decimal from 'decimal.js';
import { useState } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import type { RefundForm as Form } from '../../../shared/contract/finance';
import { useCommand } from '../../app/use-command';
import { useContractQuery, type RefetchTrigger } from '../../data/use-contract-query';
import { formatMoney } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { useConsole } from '../../store/react';
import { amountForQuantity, canRefund, checkDraft, draftFrom, remainingOf, type LineDraft, type RefundDraft } from './refund-draft';
import { REFUND_REQUEST_LABELS } from './words';

type Outcome = CommandResponse<'refunds.issue'>;
type Reason = { code: string; label: string };

/** A refund this console sent and has no final answer for: nothing more is sent for the order until it has one. */
const UNSETTLED = new Set(['sending', 'checking']);

/**
 * The refund form for one order: what was ordered and refunded before, per line the quantity, amount and shipping to
 * refund (prefilled from what is left, never more), the reason from John Lewis's list, then a confirmation that says
 * what will be sent and that it cannot be undone. The outcome stays above the form.
 */
export function RefundPanel({
  orderId,
  refetchOn,
  onClose,
  onSent,
}: {
  orderId: string;
  refetchOn: readonly RefetchTrigger[];
  onClose: () => void;
  onSent: () => void;
}) {
  const form = useContractQuery('refunds.form', { orderId }, { refetchOn });
  const reasons = useContractQuery('refunds.reasons', {});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [round, setRound] = useState(0);

  const sent = (res: Outcome) => {
    setOutcome(res);
    setRound((r) => r + 1);
    form.refetch();
    onSent();
  };

  // A new answer with other refunded figures starts the form again from what is now left.
  const figures = form.data ? JSON.stringify(form.data.lines.map((l) => [l.refundedQuantity, l.refundedAmount, l.refundedShipping, l.refundable])) : '';
  return (
    <section className="panel refund-form" aria-label="Refund form" data-testid="refund-form">
      <div className="detail-head">
        <h2>
          Refund on order {orderId}
          {form.data?.numAtCard ? <small> customer's number {form.data.numAtCard}</small> : null}
        </h2>
        <button type="button" className="link" aria-label="Close the refund form" onClick={onClose}>
          ×
        </button>
      </div>
      {outcome ? <RefundOutcome outcome={outcome} /> : null}
      {form.status === 'error' ? (
        <p className="notice notice-error" role="alert" data-testid="refund-form-error">
          Could not load order {orderId} for a refund: {form.error}
        </p>
      ) : form.status === 'loading' ? (
        <p className="loading">Loading order {orderId}…</p>
      ) : form.data ? (
        <>
          <RefundEditor
            key={`${round}:${figures}`}
            form={form.data}
            reasons={reasons.data ?? []}
            reasonsError={reasons.error}
            waiting={form.stale}
            pending={Boolean(outcome && UNSETTLED.has(outcome.state)) || form.data.requests.some((r) => UNSETTLED.has(r.state))}
            onSent={sent}
          />
          <Requests form={form.data} />
        </>
      ) : null}
    </section>
  );
}

function RefundOutcome({ outcome }: { outcome: Outcome }) {
  const text =
    outcome.state === 'sent'
      ? `Refund sent: John Lewis accepted it${outcome.refundIds.length ? ` (refund ${outcome.refundIds.join(', ')})` : ''}.`
      : outcome.state === 'checking'
        ? 'The answer from John Lewis was lost, so it is not known yet whether this refund was made. The console is checking the order’s refunds on John Lewis before anything is sent again: do not send this refund again. Its outcome shows below once the check is done.'
        : outcome.state === 'sending'
          ? 'The refund is being sent to John Lewis. Its outcome shows below.'
          : `The refund was not made: ${outcome.error ?? 'John Lewis gave no reason.'}`;
  return (
    <p
      role={outcome.state === 'failed' ? 'alert' : 'status'}
      className={`refund-outcome outcome-${outcome.state} ${outcome.state === 'failed' ? 'notice notice-error' : 'notice notice-info'}`}
      data-testid="refund-outcome"
      data-state={outcome.state}
    >
      {text}
    </p>
  );
}

/** Refunds sent from this console for the order, and where each stands. */
function Requests({ form }: { form: Form }) {
  if (!form.requests.length) return null;
  return (
    <div className="refund-requests">
      <h3>Refunds sent from this console for this order</h3>
      <ul data-testid="refund-requests">
        {form.requests.map((r) => (
          <li key={r.id} data-state={r.state}>
            {formatDateTime(r.at)} · {r.actor} · <strong>{REFUND_REQUEST_LABELS[r.state]}</strong>
            {r.error ? <span className="muted"> — {r.error}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function RefundEditor({
  form,
  reasons,
  reasonsError,
  waiting,
  pending,
  onSent,
}: {
  form: Form;
  reasons: Reason[];
  reasonsError: string | null;
  waiting: boolean;
  pending: boolean;
  onSent: (res: Outcome) => void;
}) {
  const actor = useConsole((s) => s.ui.actor);
  const { busy, send } = useCommand();
  const [draft, setDraft] = useState<RefundDraft>(() => draftFrom(form));
  const [reasonCode, setReasonCode] = useState('');
  const [confirming, setConfirming] = useState(false);
  /** The engine's refusal of the last send (nothing was refunded), shown in the form. */
  const [refused, setRefused] = useState<string | null>(null);
  const money = (d: Decimal | string) => formatMoney(d, form.currency);
  const check = checkDraft(form, draft, money);
  const reason = reasons.find((r) => r.code === reasonCode) ?? null;

  const setLine = (id: string, patch: Partial<LineDraft>) => {
    setConfirming(false);
    setDraft((d) => ({ ...d, [id]: { ...d[id]!, ...patch } }));
  };

  const blocked = pending
    ? 'A refund sent for this order has no final answer yet: nothing more is sent until it has.'
    : !actor
      ? 'Give your name at the top first: the refund is recorded against it.'
      : null;
  const ready = check.ok && reason !== null && !blocked && !waiting;

  const issue = async () => {
    if (!check.ok || !reason || !actor) return;
    setRefused(null);
    const res = await send(
      'refund',
      'refunds.issue',
      {
        orderId: form.orderId,
        lines: check.lines.map((l) => ({
          orderLineId: l.orderLineId,
          quantity: l.quantity,
          amount: l.amount.toFixed(2),
          shippingAmount: l.shipping.toFixed(2),
        })),
        reasonCode: reason.code,
        actor,
      },
      { onError: setRefused },
    );
    if (res) onSent(res);
  };

  return (
    <form
      className="refund-editor"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) setConfirming(true);
      }}
    >
      {refused ? (
        <p className="notice notice-error" role="alert" data-testid="refund-refused">
          Not sent: {refused}. Nothing was refunded.
        </p>
      ) : null}
      <p className="muted" data-testid="refund-tax-mode">
        Amounts in {form.currency ?? 'the order’s currency'}, {form.taxMode === 'TAX_INCLUDED' ? 'VAT included' : 'before VAT'}, as the order’s prices are. Each
        line starts from what is left to refund on it.
      </p>
      <table className="grid refund-lines" aria-label="Lines to refund">
        <thead>
          <tr>
            <th scope="col">Refund</th>
            <th scope="col">Line</th>
            <th scope="col">Ordered</th>
            <th scope="col">Refunded before</th>
            <th scope="col">Quantity</th>
            <th scope="col">Amount</th>
            <th scope="col">Shipping</th>
          </tr>
        </thead>
        <tbody>
          {form.lines.map((line) => {
            const d = draft[line.orderLineId]!;
            const left = remainingOf(line);
            const errors = check.ok ? {} : (check.errors[line.orderLineId] ?? {});
            const refundable = canRefund(line);
            const name = `for line ${line.orderLineId}`;
            return (
              <tr key={line.orderLineId} data-testid={`refund-line-${line.orderLineId}`} className={refundable ? undefined : 'muted'}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Refund line ${line.orderLineId}`}
                    checked={d.include}
                    disabled={!refundable}
                    onChange={(e) => setLine(line.orderLineId, { include: e.target.checked })}
                  />
                </td>
                <td>
                  {line.sku ?? line.orderLineId}
                  {line.title ? <span className="muted"> {line.title}</span> : null}
                  {!refundable ? (
                    <div className="muted">{line.refundable ? 'Nothing left to refund' : 'John Lewis does not allow a refund on this line now'}</div>
                  ) : null}
                </td>
                <td>
                  {line.quantity} × {money(line.unitPrice)}, shipping {money(line.shippingPrice)}
                </td>
                <td>
                  {line.refundedQuantity} · {money(line.refundedAmount)} · shipping {money(line.refundedShipping)}
                </td>
                <td>
                  <input
                    className="qty"
                    inputMode="numeric"
                    aria-label={`Quantity ${name}`}
                    value={d.quantity}
                    disabled={!d.include}
                    aria-invalid={Boolean(errors.quantity)}
                    onChange={(e) => {
                      const q = e.target.value;
                      setLine(
                        line.orderLineId,
                        /^\d{1,6}$/.test(q.trim()) ? { quantity: q, amount: amountForQuantity(line, Number(q.trim())) } : { quantity: q },
                      );
                    }}
                  />
                  <div className="muted">of {left.quantity} left</div>
                  {errors.quantity ? <div className="warning">{errors.quantity}</div> : null}
                </td>
                <td>
                  <input
                    className="money"
                    inputMode="decimal"
                    aria-label={`Amount ${name}`}
                    value={d.amount}
                    disabled={!d.include}
                    aria-invalid={Boolean(errors.amount)}
                    onChange={(e) => setLine(line.orderLineId, { amount: e.target.value })}
                  />
                  <div className="muted">of {money(left.amount)} left</div>
                  {errors.amount ? (
                    <div className="warning" data-testid={`refund-amount-error-${line.orderLineId}`}>
                      {errors.amount}
                    </div>
                  ) : null}
                </td>
                <td>
                  <input
                    className="money"
                    inputMode="decimal"
                    aria-label={`Shipping ${name}`}
                    value={d.shipping}
                    disabled={!d.include}
                    aria-invalid={Boolean(errors.shipping)}
                    onChange={(e) => setLine(line.orderLineId, { shipping: e.target.value })}
                  />
                  <div className="muted">of {money(left.shipping)} left</div>
                  {errors.shipping ? <div className="warning">{errors.shipping}</div> : null}
                  {errors.line ? <div className="warning">{errors.line}</div> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <label className="refund-reason">
        Reason
        <select
          value={reasonCode}
          onChange={(e) => {
            setConfirming(false);
            setReasonCode(e.target.value);
          }}
        >
          <option value="">— choose John Lewis’s reason —</option>
          {reasons.map((r) => (
            <option key={r.code} value={r.code}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      {reasonsError ? (
        <p className="notice notice-error" role="alert">
          Could not load John Lewis’s refund reasons: {reasonsError}
        </p>
      ) : null}
      <p data-testid="refund-total">
        {check.ok
          ? `To refund: ${money(check.total)} (goods ${money(check.amount)}, shipping ${money(check.shipping)})`
          : check.nothingChosen
            ? 'Tick the lines to refund.'
            : 'Correct the lines marked above.'}
      </p>
      {blocked ? <p className="warning">{blocked}</p> : null}
      {confirming && check.ok && reason ? (
        <div className="refund-confirmation" role="group" aria-label="Confirm the refund" data-testid="refund-confirmation">
          <h3>Send this refund to John Lewis?</h3>
          <p>
            Order {form.orderId}
            {form.numAtCard ? ` (customer's number ${form.numAtCard})` : ''}: refund {money(check.total)} to the customer — goods {money(check.amount)},
            shipping {money(check.shipping)}, {form.taxMode === 'TAX_INCLUDED' ? 'VAT included' : 'before VAT'}.
          </p>
          <ul>
            {check.lines.map((l) => {
              const line = form.lines.find((x) => x.orderLineId === l.orderLineId)!;
              return (
                <li key={l.orderLineId}>
                  {line.sku ?? line.orderLineId}: {l.quantity === 1 ? '1 unit' : `${l.quantity} units`}, {money(l.amount)}, shipping {money(l.shipping)}
                </li>
              );
            })}
          </ul>
          <p>Reason: {reason.label}</p>
          <p className="warning">
            <strong>John Lewis refunds the customer as soon as it receives this. A refund cannot be undone.</strong>
          </p>
          <div className="actions">
            <button type="button" className="danger" disabled={busy === 'refund' || !ready} onClick={() => void issue()}>
              {busy === 'refund' ? 'Sending…' : `Send refund of ${money(check.total)}`}
            </button>
            <button type="button" disabled={busy === 'refund'} onClick={() => setConfirming(false)}>
              Back to the form
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="submit" className="primary" disabled={!ready}>
            Review refund
          </button>
        </div>
      )}
    </form>
  );
}
