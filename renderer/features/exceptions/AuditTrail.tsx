import type { ExceptionAction } from '../../../shared/domain/exceptions';
import { formatDateTime } from '../../format/time';
import { humanise } from '../../format/words';

/** before/after are whatever the engine recorded (a state, a mapping); shown compactly, strings as they are. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function AuditTrail({ actions }: { actions: ExceptionAction[] }) {
  if (!actions.length) return <p className="muted">No actions recorded yet.</p>;
  return (
    <table className="grid audit" aria-label="Audit trail" data-testid="audit-trail">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Action</th>
          <th scope="col">Reason</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {actions.map((a) => (
          <tr key={a.id}>
            <td>
              <time dateTime={a.at}>{formatDateTime(a.at)}</time>
            </td>
            <td>{a.actor}</td>
            <td>{humanise(a.action)}</td>
            <td>{a.reason ?? '—'}</td>
            <td className="mono">{a.before === null && a.after === null ? '—' : `${show(a.before)} → ${show(a.after)}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
