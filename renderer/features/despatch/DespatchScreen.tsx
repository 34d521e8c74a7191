import { useCallback, useEffect, useState } from 'react';
import './despatch.css';
import type { CarrierMappingRow, DespatchSummary, MarketplaceCarrier } from '../../../shared/contract/despatch';
import { DESPATCH_STATES, type DespatchState } from '../../../shared/domain/despatch';
import { useCommand } from '../../app/use-command';
import { useNow } from '../../format/use-now';
import { useApi, useConsole } from '../../store/react';
import { CarrierMappingTable } from './CarrierMappingTable';
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
      setCarrierError(res.error);
    });
    return () => {
      live = false;
    };
  }, [api, reload]);

  const openCorrection = async (orderId: string) => {
    setOutcome(null);
    setSelected(await api.query('despatch.get', { orderId }));
  };

  const correct = async (c: Correction) => {
    if (!selected) return;
    const res = await send('correct', 'despatch.correct', { orderId: selected.orderId, ...c, actor });
    if (!res) return;
    setOutcome({ kind: res.outcome, text: res.message });
    setSelected(res.outcome === 'confirmed' ? null : res.despatch);
    refresh();
  };

  const saveMapping = async (sapCarrier: string, carrierCode: string) => {
    const res = await send('map', 'despatch.saveMapping', { sapCarrier, carrierCode, actor });
    if (!res) return;
    setOutcome({ kind: 'saved', text: `“${sapCarrier}” now maps to ${carrierCode}${res.retried.length ? `; retrying ${res.retried.length} despatch(es)` : ''}` });
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
      {selected && <CorrectionForm key={selected.orderId + selected.updatedAt} despatch={selected} carriers={carriers} busy={busy === 'correct'} onSubmit={(c) => void correct(c)} onClose={() => setSelected(null)} />}
      <DespatchQueue rows={rows} now={now} onCorrect={(id) => void openCorrection(id)} />
      <section aria-label="Carrier mapping section">
        <h2>Carrier mapping</h2>
        <p className="muted">SAP carrier → marketplace carrier code. This table decides what every despatch is confirmed with; suggestions are only suggestions.</p>
        {carrierError ? <p className="warning">{carrierError}</p> : null}
        <CarrierMappingTable rows={mappings} carriers={carriers} onSave={(s, c) => void saveMapping(s, c)} />
      </section>
    </>
  );
}
