import type { ExceptionAction } from '../../../shared/domain/exceptions';
import { formatDateTime } from '../../format/time';
import { STATE_LABELS } from '../../format/words';

const STATE_WORDS = STATE_LABELS as Record<string, string>;

/** A recorded value as words: a state by its name, a mapping or other record as "SKU JL-1001 → SKU000010" style pairs. */
function words(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return STATE_WORDS[value]?.toLowerCase() ?? value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ');
  return String(value);
}

/** One line of the trail as a sentence: who did what, and what changed. */
export function auditSentence(a: Pick<ExceptionAction, 'action' | 'actor' | 'reason' | 'before' | 'after'>): string {
  const who = a.actor === 'engine' ? 'The engine' : a.actor;
  const change = a.before === null && a.after === null ? '' : a.before === null ? ` (now ${words(a.after)})` : ` (${words(a.before)} → ${words(a.after)})`;
  const why = a.reason ? `: “${a.reason}”` : '';
  switch (a.action) {
    case 'raised':
      return `${who} raised it${change}${why}.`;
    case 'retry':
      return `${who} asked for a retry${change}${why}.`;
    case 'correct':
      return `${who} corrected the record${change}${why}.`;
    case 'dismiss':
      return `${who} dismissed it${change}${why}.`;
    case 'resolve':
      return `${who} found it resolved${change}${why}.`;
    case 'reopen':
      return `${who} reopened it: the problem came back${change}${why}.`;
  }
}

/** Who did what to the exception, and when, in sentences. */
export function AuditTrail({ actions }: { actions: ExceptionAction[] }) {
  if (!actions.length) return <p className="muted">No actions recorded yet.</p>;
  return (
    <ol className="audit" aria-label="Audit trail" data-testid="audit-trail">
      {actions.map((a) => (
        <li key={a.id}>
          <time dateTime={a.at}>{formatDateTime(a.at)}</time> — {auditSentence(a)}
        </li>
      ))}
    </ol>
  );
}
