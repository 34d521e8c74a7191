import { onEvent, useContractQuery } from '../../data/use-contract-query';
import { exceptionHelp } from '../handbook/HelpLink';

/** Problems with the SAP company or the shop hold every order alike; the Orders screen says so above the queue. */
const WHOLE_FLOW = new Set(['sap-company', 'shop']);

/**
 * What stops the orders flow as a whole (no go-live cut-off, the shop not a MARKETPLACE shop, the SAP company not
 * set up, another console posting), in the engine's words, with what to do. Asked again whenever an orders
 * exception changes.
 */
export function OrdersBlockers() {
  const open = useContractQuery(
    'exceptions.list',
    { flow: 'orders', state: 'open', limit: 50, offset: 0 },
    { refetchOn: [onEvent('exception.changed', (e) => e.flow === 'orders')] },
  );
  if (open.status === 'error') {
    return (
      <p className="notice notice-error" role="alert" data-testid="orders-blockers-error">
        Could not check what holds the orders: {open.error}
      </p>
    );
  }
  const blockers = (open.data?.rows ?? []).filter((e) => WHOLE_FLOW.has(e.record.type));
  if (blockers.length === 0) return null;
  return (
    <section className="notice notice-error" role="alert" aria-label="Orders are held" data-testid="orders-blockers">
      {blockers.map((e) => (
        <p key={e.id}>
          <strong>{e.summary}.</strong> {e.suggestedAction}{' '}
          <a href={exceptionHelp(e).href} data-testid="orders-blocker-help">
            What to do, in the handbook
          </a>
        </p>
      ))}
    </section>
  );
}
