import type { OrderDetail as Detail } from '../../../shared/contract/orders';
import { formatDateTime } from '../../format/time';

/**
 * One order: its lines and its timeline (marketplace events, SAP documents, exceptions, operator actions). Without
 * onDecide (opened from another screen) a held order's decision is left to the Orders screen.
 */
export function OrderDetail({ detail, onDecide }: { detail: Detail; onDecide?: (decision: 'accept' | 'refuse') => void }) {
  const { order } = detail;
  return (
    <section className="detail" aria-label={`Order ${order.orderId}`} data-testid="order-detail">
      <h2>
        {order.orderId} <small>customer's number {order.numAtCard ?? '—'}</small>
      </h2>
      <p>
        {order.stage} · marketplace {order.marketplaceState ?? '—'} · total {order.totalPrice ?? '—'} {order.currency ?? ''}
        {order.docNum !== null && ` · SAP Sales Order ${order.docNum} (total ${order.sapTotal ?? '—'}, rounding ${order.rounding ?? '0.00'})`}
      </p>
      {order.stage === 'held' && onDecide && (
        <div className="actions">
          <button type="button" onClick={() => onDecide('accept')}>
            Accept order
          </button>
          <button type="button" onClick={() => onDecide('refuse')}>
            Refuse order
          </button>
        </div>
      )}
      <table className="grid" aria-label="Lines">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">SKU</th>
            <th scope="col">SAP item</th>
            <th scope="col">Qty</th>
            <th scope="col">Unit price</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {detail.lines.map((l) => (
            <tr key={l.orderLineId}>
              <td>{l.orderLineId}</td>
              <td>{l.sku ?? '—'}</td>
              <td>{l.itemCode ?? '—'}</td>
              <td>{l.quantity ?? '—'}</td>
              <td>{l.unitPrice ?? '—'}</td>
              <td>{l.state ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Timeline</h3>
      <ol className="timeline" data-testid="order-timeline">
        {detail.events.map((e) => (
          <li key={e.id} className={`event ${e.source}`}>
            <time>{formatDateTime(e.at)}</time> <strong>{e.source}</strong> {e.summary}
          </li>
        ))}
      </ol>
    </section>
  );
}
