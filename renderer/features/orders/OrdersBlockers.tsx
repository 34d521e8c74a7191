import { useEffect, useState } from 'react';
import type { ExceptionRecord } from '../../../shared/domain/exceptions';
import { useApi, useConsole } from '../../store/react';

/** Problems with the SAP company or the shop hold every order alike; the Orders screen says so above the queue. */
const WHOLE_FLOW = new Set(['sap-company', 'shop']);

/**
 * What stops the orders flow as a whole (no go-live cut-off, the shop not a MARKETPLACE shop, the SAP company not
 * set up, another console posting), in the engine's words, with what to do. Reloaded whenever the engine's status
 * changes (every exception raised or resolved changes it).
 */
export function OrdersBlockers() {
  const api = useApi();
  const revision = useConsole((s) => s.status?.revision ?? 0);
  const [blockers, setBlockers] = useState<ExceptionRecord[]>([]);
  useEffect(() => {
    let live = true;
    void api
      .query('exceptions.list', { flow: 'orders', state: 'open', limit: 50, offset: 0 })
      .then((page) => live && setBlockers(page.rows.filter((e) => WHOLE_FLOW.has(e.record.type))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, revision]);
  if (blockers.length === 0) return null;
  return (
    <section className="notice notice-error" role="alert" aria-label="Orders are held" data-testid="orders-blockers">
      {blockers.map((e) => (
        <p key={e.id}>
          <strong>{e.summary}.</strong> {e.suggestedAction}
        </p>
      ))}
    </section>
  );
}
