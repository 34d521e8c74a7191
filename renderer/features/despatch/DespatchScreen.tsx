import { useRecordAddress } from '../../app/address';
import { useCallback, useEffect, useState } from 'react';
import { useWhen, WhenFilter } from '../shared/WhenFilter';
import './despatch.css';
import type { DespatchOutcome } from '../../../shared/contract/despatch';
import { DESPATCH_STATES, type DespatchState } from '../../../shared/domain/despatch';
import { useCommand } from '../../app/use-command';
import { formatTimeOfDay } from '../../format/time';
import { useNow } from '../../format/use-now';
import { onEvent, useContractList, useContractQuery } from '../../data/use-contract-query';
import { useApi, useConsole } from '../../store/react';
import { CarrierMappingTable, type MappingTarget } from './CarrierMappingTable';
import { CorrectionForm, type Correction } from './CorrectionForm';
import { DespatchQueue } from './DespatchQueue';
import { DespatchSettingsPanel } from './DespatchSettingsPanel';

/** Despatch: the queue, carrier mapping and correction form; or the despatch settings, as on the Orders screen. */
export function DespatchScreen() {
  const [view, setView] = useState<'queue' | 'settings'>('queue');
  return (
    <div className="despatch">
      <nav className="despatch-view" aria-label="Despatch views">
        <button type="button" aria-pressed={view === 'queue'} onClick={() => setView('queue')}>
          Queue
        </button>
        <button type="button" aria-pressed={view === 'settings'} onClick={() => setView('settings')}>
          Despatch settings
        </button>
      </nav>
      {view === 'queue' ? <DespatchWork /> : <DespatchSettingsPanel />}
    </div>
  );
}

/** Despatches change in despatch runs, and when a queued correction's outcome is known. */
const DESPATCH_CHANGES = ['despatch.changed', onEvent('run.finished', (run) => run.flow === 'despatch')] as const;

/** The queue of despatches, the carrier mapping table and the manual despatch correction form. */
function DespatchWork() {
  const api = useApi();
  const actor = useConsole((s) => s.ui.actor) ?? 'operator';
  const now = useNow();
  const { busy, send } = useCommand();
  const [state, setState] = useState<DespatchState | ''>('');
  const [search, setSearch] = useState('');
  const [{ choice: when, range }, setWhen] = useWhen();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  useRecordAddress('despatch', selectedId, setSelectedId);
  const [outcome, setOutcome] = useState<{ kind: string; text: string } | null>(null);

  const list = useContractList(
    'despatch.list',
    {
      ...(state ? { state } : {}),
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(range.from ? { deliveredFrom: range.from } : {}),
      ...(range.before ? { deliveredBefore: range.before } : {}),
    },
    { pageSize: 100, debounceMs: 250, refetchOn: DESPATCH_CHANGES, rowKey: (d) => d.orderId },
  );
  const carriers = useContractQuery('despatch.carriers', {}, { refetchOn: [onEvent('run.finished', (run) => run.flow === 'despatch')] });
  const selected = useContractQuery(
    'despatch.get',
    { orderId: selectedId ?? '-' },
    { enabled: selectedId !== null, refetchOn: [onEvent('despatch.changed', (e) => e.orderId === selectedId)] },
  );

  // The outcome of a correction that had to wait its turn: said above the queue (the row itself is asked for again).
  useEffect(
    () =>
      api.on('despatch.changed', (e) => {
        setOutcome({ kind: e.outcome, text: e.message });
        if (e.outcome === 'confirmed') setSelectedId((open) => (open === e.orderId ? null : open));
      }),
    [api],
  );

  const openCorrection = useCallback((orderId: string) => {
    setOutcome(null);
    setSelectedId(orderId);
  }, []);

  const show = (res: DespatchOutcome) =>
    setOutcome({ kind: res.outcome, text: res.outcome === 'queued' && res.sendsAt ? `Queued — sends at ${formatTimeOfDay(res.sendsAt)}` : res.message });

  const correct = async (c: Correction) => {
    if (!selected.data) return;
    const res = await send('correct', 'despatch.correct', { orderId: selected.data.orderId, ...c, actor });
    if (!res) return;
    show(res);
    if (res.outcome === 'confirmed' || res.outcome === 'queued') setSelectedId(null);
    else selected.setData(res.despatch);
    list.refetch();
  };

  const saveMapping = async (sapCarrier: string, target: MappingTarget) => {
    const res = await send('map', 'despatch.saveMapping', { sapCarrier, ...target, actor });
    if (!res) return;
    const to = 'carrierCode' in target ? target.carrierCode : `${target.named.carrierName} (named carrier)`;
    setOutcome({ kind: 'saved', text: `“${sapCarrier}” now maps to ${to}${res.retried.length ? `; retrying ${res.retried.length} despatch(es)` : ''}` });
    carriers.refetch();
    list.refetch();
  };

  const total = list.total ?? 0;
  return (
    <>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input
            placeholder="Order id, customer's number, tracking or Delivery Note"
            value={search}
            maxLength={100}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label>
          State
          <select value={state} onChange={(e) => setState(e.target.value as DespatchState | '')}>
            <option value="">All states</option>
            {DESPATCH_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <WhenFilter what="Delivered" value={when} onChange={setWhen} />
        <span className="count" data-testid="despatch-total">
          {list.status === 'ready' ? `${total} ${total === 1 ? 'despatch' : 'despatches'}` : ''}
        </span>
      </form>
      {outcome && (
        <p role="status" data-testid="despatch-outcome" data-outcome={outcome.kind}>
          {outcome.text}
        </p>
      )}
      {selected.error ? (
        <p className="notice notice-error" role="alert">
          Could not load the despatch of {selectedId}: {selected.error}
        </p>
      ) : null}
      {selected.data ? (
        <CorrectionForm
          key={selected.data.orderId + selected.data.updatedAt}
          despatch={selected.data}
          carriers={carriers.data?.carriers ?? []}
          busy={busy === 'correct'}
          onSubmit={(c) => void correct(c)}
          onClose={() => setSelectedId(null)}
        />
      ) : null}
      <DespatchQueue list={list} now={now} filtered={Boolean(state || search.trim() || range.from || range.before)} onCorrect={openCorrection} />
      <section aria-label="Carrier mapping section">
        <h2>Carrier mapping</h2>
        <p className="muted">
          SAP carrier → marketplace carrier. Only the saved mapping decides what a despatch is confirmed with; a suggestion is used only when you choose it and
          save.
        </p>
        {carriers.status === 'error' ? (
          <p className="notice notice-error" role="alert" data-testid="carrier-mapping-error">
            Could not load the carrier mapping: {carriers.error}
          </p>
        ) : carriers.status === 'loading' ? (
          <p className="loading">Loading the carrier mapping…</p>
        ) : (
          <>
            {carriers.data?.error ? <p className="warning">{carriers.data.error}</p> : null}
            <CarrierMappingTable
              rows={carriers.data?.mappings ?? []}
              carriers={carriers.data?.carriers ?? []}
              namedCarriers={carriers.data?.namedCarriers ?? 'unknown'}
              onSave={(s, t) => void saveMapping(s, t)}
            />
          </>
        )}
      </section>
    </>
  );
}
