import { useCallback, useEffect, useState } from 'react';
import './despatch.css';
import type { CarrierMappingRow, DespatchOutcome, DespatchSummary, MarketplaceCarrier } from '../../../shared/contract/despatch';
import { DESPATCH_STATES, type DespatchState } from '../../../shared/domain/despatch';
import { useCommand } from '../../app/use-command';
import { formatTimeOfDay } from '../../format/time';
import { useNow } from '../../format/use-now';
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

/** The queue of despatches, the carrier mapping table and the manual despatch correction form. */
function DespatchWork() {
  const api = useApi();
  const actor = useConsole((s) => s.ui.actor) ?? 'operator';
  const now = useNow();
  const { busy, send } = useCommand();
  const [state, setState] = useState<DespatchState | ''>('');
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<DespatchSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [carriers, setCarriers] = useState<MarketplaceCarrier[]>([]);
  const [mappings, setMappings] = useState<CarrierMappingRow[]>([]);
  const [namedCarriers, setNamedCarriers] = useState<'allowed' | 'forbidden' | 'unknown'>('unknown');
  const [carrierError, setCarrierError] = useState<string | null>(null);
  const [selected, setSelected] = useState<DespatchSummary | null>(null);
  const [outcome, setOutcome] = useState<{ kind: string; text: string } | null>(null);
  const [reload, setReload] = useState(0);
  const refresh = useCallback(() => setReload((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    void api.query('despatch.list', { ...(state ? { state } : {}), ...(search ? { search } : {}), limit: 200 }).then((res) => {
      if (!live) return;
      setRows(res.rows);
      setTotal(res.total);
    });
    return () => {
      live = false;
    };
  }, [api, state, search, reload]);

  useEffect(() => {
    let live = true;
    void api.query('despatch.carriers', {}).then((res) => {
      if (!live) return;
      setCarriers(res.carriers);
      setMappings(res.mappings);
      setNamedCarriers(res.namedCarriers);
      setCarrierError(res.error);
    });
    return () => {
      live = false;
    };
  }, [api, reload]);

  // The outcome of a correction that had to wait its turn: it replaces the row's "sending" and is said above the queue.
  useEffect(
    () =>
      api.on('despatch.changed', (e) => {
        setRows((current) => current.map((r) => (r.orderId === e.orderId ? e.despatch : r)));
        setOutcome({ kind: e.outcome, text: e.message });
        setSelected((open) => (open?.orderId === e.orderId ? (e.outcome === 'confirmed' ? null : e.despatch) : open));
      }),
    [api],
  );

  const openCorrection = async (orderId: string) => {
    setOutcome(null);
    setSelected(await api.query('despatch.get', { orderId }));
  };

  const show = (res: DespatchOutcome) =>
    setOutcome({ kind: res.outcome, text: res.outcome === 'queued' && res.sendsAt ? `Queued — sends at ${formatTimeOfDay(res.sendsAt)}` : res.message });

  const correct = async (c: Correction) => {
    if (!selected) return;
    const res = await send('correct', 'despatch.correct', { orderId: selected.orderId, ...c, actor });
    if (!res) return;
    show(res);
    setRows((current) => current.map((r) => (r.orderId === res.despatch.orderId ? res.despatch : r)));
    setSelected(res.outcome === 'confirmed' || res.outcome === 'queued' ? null : res.despatch);
    if (res.outcome !== 'queued') refresh();
  };

  const saveMapping = async (sapCarrier: string, target: MappingTarget) => {
    const res = await send('map', 'despatch.saveMapping', { sapCarrier, ...target, actor });
    if (!res) return;
    const to = 'carrierCode' in target ? target.carrierCode : `${target.named.carrierName} (named carrier)`;
    setOutcome({ kind: 'saved', text: `“${sapCarrier}” now maps to ${to}${res.retried.length ? `; retrying ${res.retried.length} despatch(es)` : ''}` });
    refresh();
  };

  return (
    <>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input placeholder="Order id, customer's number, tracking or Delivery Note" value={search} onChange={(e) => setSearch(e.target.value)} />
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
        <span className="count">{total} despatches</span>
      </form>
      {outcome && (
        <p role="status" data-testid="despatch-outcome" data-outcome={outcome.kind}>
          {outcome.text}
        </p>
      )}
      {selected && (
        <CorrectionForm
          key={selected.orderId + selected.updatedAt}
          despatch={selected}
          carriers={carriers}
          busy={busy === 'correct'}
          onSubmit={(c) => void correct(c)}
          onClose={() => setSelected(null)}
        />
      )}
      <DespatchQueue rows={rows} now={now} onCorrect={(id) => void openCorrection(id)} />
      <section aria-label="Carrier mapping section">
        <h2>Carrier mapping</h2>
        <p className="muted">
          SAP carrier → marketplace carrier. Only the saved mapping decides what a despatch is confirmed with; a suggestion is used only when you choose it and
          save.
        </p>
        {carrierError ? <p className="warning">{carrierError}</p> : null}
        <CarrierMappingTable rows={mappings} carriers={carriers} namedCarriers={namedCarriers} onSave={(s, t) => void saveMapping(s, t)} />
      </section>
    </>
  );
}
