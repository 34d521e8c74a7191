import { onEvent, useContractQuery } from '../../data/use-contract-query';
import { FLOW_LABELS, humanise } from '../../format/words';
import { useConsole } from '../../store/react';

const CHANGES = [onEvent('exception.changed', () => true)];

/** The exceptions the filter holds, by type with their counts: one click shows just that type. */
export function TypeGroups() {
  const { state, flow, category, severity, search, type } = useConsole((s) => s.exceptions.filter);
  const setFilter = useConsole((s) => s.setExceptionFilter);
  const groups = useContractQuery(
    'exceptions.groups',
    {
      ...(state ? { state } : {}),
      ...(flow ? { flow } : {}),
      ...(category ? { category } : {}),
      ...(severity ? { severity } : {}),
      ...(search.trim() ? { search: search.trim() } : {}),
    },
    { refetchOn: CHANGES, debounceMs: 250 },
  );
  const rows = groups.data ?? [];
  if (rows.length === 0 && type === null) return null;
  return (
    <nav className="type-groups" aria-label="Exceptions by type" data-testid="type-groups">
      <button type="button" aria-pressed={type === null} onClick={() => setFilter({ type: null })}>
        Every type
      </button>
      {rows.map((g) => (
        <button
          key={`${g.type}|${g.flow}`}
          type="button"
          aria-pressed={type === g.type}
          title={`${FLOW_LABELS[g.flow]}: ${humanise(g.type)}`}
          onClick={() => setFilter({ type: type === g.type ? null : g.type })}
        >
          {humanise(g.type)} <span className="group-count">{g.count}</span>
        </button>
      ))}
    </nav>
  );
}
