import { onEvent, useContractQuery } from '../../data/use-contract-query';
import { formatDateTime } from '../../format/time';

const CHANGES = [onEvent('run.finished', (run) => run.flow !== 'health' && run.flow !== 'stock')];

/** An order's whole story beside its exception: every flow's events on it (intake, posting, despatch, returns, invoicing). */
export function RecordStory({ orderId }: { orderId: string }) {
  const detail = useContractQuery('orders.get', { orderId }, { refetchOn: CHANGES });
  const events = detail.data?.events ?? [];
  if (detail.status !== 'ready' || events.length === 0) return null;
  return (
    <details className="record-story" data-testid="record-story">
      <summary>The order’s story ({events.length} events)</summary>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id} className={`event ${e.source}`}>
            <time>{formatDateTime(e.at)}</time> <strong>{e.source}</strong> {e.summary}
          </li>
        ))}
      </ol>
    </details>
  );
}
