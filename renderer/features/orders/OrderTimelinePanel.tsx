import { useEffect, useRef } from 'react';
import { onEvent, useContractQuery } from '../../data/use-contract-query';
import { OrderDetail } from './OrderDetail';

/** Any flow's run may add to an order's timeline: its posting, despatch, return, refund or invoice. */
const TIMELINE_CHANGES = [onEvent('run.finished', (run) => run.flow !== 'health' && run.flow !== 'stock')];

/**
 * One order's lines and timeline, opened from another screen's row (a return, a refund, an invoice): the Orders
 * screen's detail, so every screen follows an order the same way.
 */
export function OrderTimelinePanel({ orderId, onClose }: { orderId: string; onClose: () => void }) {
  const detail = useContractQuery('orders.get', { orderId }, { refetchOn: TIMELINE_CHANGES });
  const ref = useRef<HTMLDivElement>(null);
  // Opened from a row further down: brought into view, as the operator asked for it.
  useEffect(() => {
    // Braced: Chromium's scrollIntoView may return a promise, which React would take for a clean-up.
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <div className="order-timeline-panel" data-testid="order-timeline-panel" ref={ref}>
      <div className="detail-head">
        <span className="muted">Order {orderId}</span>
        <button type="button" className="link" aria-label={`Close order ${orderId}`} onClick={onClose}>
          ×
        </button>
      </div>
      {detail.status === 'error' ? (
        <p className="notice notice-error" role="alert" data-testid="order-detail-error">
          Could not load order {orderId}: {detail.error}
        </p>
      ) : detail.status === 'loading' ? (
        <p className="loading">Loading order {orderId}…</p>
      ) : detail.data ? (
        <OrderDetail detail={detail.data} />
      ) : (
        <p className="empty">Order {orderId} is not in the ledger.</p>
      )}
    </div>
  );
}
