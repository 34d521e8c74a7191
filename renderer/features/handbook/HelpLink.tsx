import type { ExceptionRecord } from '../../../shared/domain/exceptions';
import { catalogueEntry, EXCEPTIONS_HANDBOOK_PAGE } from '../../../shared/domain/exception-catalogue';
import { handbookAddress } from '../../../shared/domain/handbook-address';
import { humanise } from '../../format/words';
import './handbook.css';

/**
 * Where the handbook explains an exception: its type's own section, from the exception catalogue; the exceptions page
 * itself for a type the catalogue does not have (one raised by an older version, kept in the ledger).
 */
export function exceptionHelp(ex: Pick<ExceptionRecord, 'flow' | 'type'>): { href: string; meaning: string | null } {
  const entry = catalogueEntry(ex.flow, ex.type);
  return { href: handbookAddress(entry?.handbook ?? EXCEPTIONS_HANDBOOK_PAGE), meaning: entry?.meaning ?? null };
}

/** The "?" beside an exception's type in a list: opens its section of the handbook, and never opens the row. */
export function ExceptionHelpLink({ exception }: { exception: Pick<ExceptionRecord, 'flow' | 'type'> }) {
  const { href, meaning } = exceptionHelp(exception);
  return (
    <a
      href={href}
      className="help-link"
      title={meaning ? `${meaning} Open the handbook for what to do.` : 'Open the handbook’s page on exceptions.'}
      aria-label={`Handbook: ${humanise(exception.type)}`}
      data-testid="exception-help-link"
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => event.stopPropagation()}
    >
      ?
    </a>
  );
}
