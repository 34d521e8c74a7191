import { useId, useState } from 'react';
import type { SearchHit } from '../../shared/contract/search';
import { useContractQuery } from '../data/use-contract-query';
import { useDebounced } from '../data/use-debounced';

const KIND_WORDS: Record<SearchHit['kind'], string> = { order: 'Order', despatch: 'Despatch', sku: 'SKU' };

/**
 * The header's search: an order id, a customer's number, an SAP document number, a SKU or a tracking number, to the
 * record it belongs to. Enter opens the first match; the list shows what each matched on.
 */
export function GlobalSearch() {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const listId = useId();
  const term = text.trim();
  // Asked once typing pauses, and never for an empty box.
  const asked = useDebounced({ text: term }, 200, ['text']).request.text;
  const query = useContractQuery('search.records', { text: asked || '-' }, { enabled: asked.length > 0 });
  const hits = term && asked ? (query.data ?? []) : [];

  const go = (hit: SearchHit) => {
    location.hash = hit.address;
    setOpen(false);
    setText('');
  };

  return (
    <div className="global-search" role="search">
      <input
        type="search"
        aria-label="Find a record"
        placeholder="Find an order, SAP document, SKU or tracking number"
        value={text}
        maxLength={100}
        role="combobox"
        aria-expanded={open && term.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && hits[0]) go(hits[0]);
          if (e.key === 'Escape') {
            setText('');
            setOpen(false);
          }
        }}
      />
      {open && term ? (
        <ul id={listId} className="search-hits" role="listbox" aria-label="Records found" data-testid="search-hits">
          {asked !== term || (query.status === 'loading' && !query.data) ? <li className="muted">Looking…</li> : null}
          {asked === term && query.data && hits.length === 0 ? <li className="muted">Nothing in the ledger matches “{term}”.</li> : null}
          {hits.map((hit) => (
            <li key={`${hit.kind}|${hit.key}`} role="option" aria-selected="false">
              <button type="button" className="link" onMouseDown={(e) => e.preventDefault()} onClick={() => go(hit)}>
                <strong>{KIND_WORDS[hit.kind]}</strong> {hit.key} <span className="muted">— {hit.matched}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
