import { useRecordAddress } from '../../app/address';
import { useCallback, useMemo, useState } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import { FlowNotice } from '../../app/FlowNotice';
import { useCommand } from '../../app/use-command';
import { onEvent, useContractList, useContractQuery } from '../../data/use-contract-query';
import { ukDayOf } from '../../format/time';
import { counted } from '../../format/words';
import { useConsole } from '../../store/react';
import { OrderTimelinePanel } from '../orders/OrderTimelinePanel';
import { CycleDetail, type CycleActions } from './CycleDetail';
import { PayoutsTable, type CycleSelection } from './PayoutsTable';
import { SettlementSettingsPanel } from './SettlementSettingsPanel';
import { usePayoutsExport } from './use-payouts-export';
import { POST_OUTCOME_LABELS } from './words';
import './payouts.css';

/** Cycles change when a settlement run ends (read, reconciled or posted). */
const PAYOUTS_CHANGES = [onEvent('run.finished', (run) => run.flow === 'settlement')] as const;

type Filter = 'all' | 'not-posted' | 'has-variances';
const FILTERS: readonly { filter: Filter; label: string }[] = [
  { filter: 'all', label: 'All cycles' },
  { filter: 'not-posted', label: 'Not yet posted' },
  { filter: 'has-variances', label: 'Has variances' },
];

type PostResults = CommandResponse<'payouts.post'>['results'];

/** The month before the current UK month ("2026-10" in November): the one finance usually closes. */
function lastMonth(now: Date): string {
  const [y, m] = ukDayOf(now.toISOString()).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Payouts: the cycles and their work; or the settlement settings, as on the Invoicing and Returns screens. */
export function PayoutsScreen() {
  const [view, setView] = useState<'cycles' | 'settings'>('cycles');
  return (
    <div className="payouts">
      <nav className="payouts-view" aria-label="Payouts views">
        <button type="button" aria-pressed={view === 'cycles'} onClick={() => setView('cycles')}>
          Payouts
        </button>
        <button type="button" aria-pressed={view === 'settings'} onClick={() => setView('settings')}>
          Settlement settings
        </button>
      </nav>
      {view === 'cycles' ? <PayoutsWork onSettings={() => setView('settings')} /> : <SettlementSettingsPanel />}
    </div>
  );
}

/**
 * Each billing cycle's payout against the bank and SAP — whether it ties out, the variances, the SAP documents it
 * does not pay, posted or not; a cycle's totals, lines and unpaid documents; reconcile again, post to SAP, export a
 * cycle or a month.
 */
function PayoutsWork({ onSettings }: { onSettings: () => void }) {
  const actor = useConsole((s) => s.ui.actor);
  const dryRun = useConsole((s) => s.status?.dryRun ?? false);
  const { busy, send } = useCommand();
  const { exporting, exportFile } = usePayoutsExport();
  const [filter, setFilter] = useState<Filter>('all');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [openCycle, setOpenCycle] = useState<string | null>(null);
  useRecordAddress('payouts', openCycle, setOpenCycle);
  const [timelineOrder, setTimelineOrder] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [results, setResults] = useState<PostResults | null>(null);
  const [month, setMonth] = useState(() => lastMonth(new Date()));

  const cycles = useContractList('payouts.list', { filter }, { pageSize: 50, refetchOn: PAYOUTS_CHANGES, rowKey: (c) => c.cycleId });
  const settings = useContractQuery('settings.get', {});
  const postingOff = settings.data ? !settings.data.settlement.posting.enabled : false;

  // Only cycles still shown and not posted count as ticked.
  const ticked = useMemo(() => cycles.rows.filter((c) => selected.has(c.cycleId) && c.posted === null).map((c) => c.cycleId), [cycles.rows, selected]);
  const selection: CycleSelection = useMemo(
    () => ({
      selected,
      onSelect: (id, on) =>
        setSelected((s) => {
          const next = new Set(s);
          if (on) next.add(id);
          else next.delete(id);
          return next;
        }),
    }),
    [selected],
  );

  const reconcile = async (cycleId?: string) => {
    if (!actor) return;
    const res = await send('reconcile', 'payouts.reconcile', { ...(cycleId ? { cycleId } : {}), actor });
    if (!res) return;
    setResults(null);
    setMessage(
      res.started
        ? `${cycleId ? `Reconciling cycle ${cycleId} again` : 'Reconciling every cycle due'}: the figures change when the settlement run ends.`
        : 'The engine did not start a settlement run now: one may be running already. The figures change when it ends.',
    );
    cycles.refetch();
  };

  const post = async (cycleIds: string[]) => {
    if (!actor) return;
    const res = await send('post', 'payouts.post', { cycleIds, actor });
    setConfirming(null);
    if (!res) return;
    setMessage(null);
    setResults(res.results);
    setSelected(new Set());
    cycles.refetch();
  };

  const onOrder = useCallback((orderId: string) => setTimelineOrder(orderId), []);
  const actions: CycleActions = {
    canAct: Boolean(actor),
    busy: busy ?? (exporting ? 'export' : null),
    onReconcile: (id) => void reconcile(id),
    onPost: (ids) => {
      setMessage(null);
      setConfirming(ids);
    },
    onExport: (request) => void exportFile(request),
    onOrder,
  };

  return (
    <>
      <FlowNotice flow="settlement" />
      {dryRun ? <p className="warning">Dry run is on: Post to SAP says what it would post and posts nothing to SAP.</p> : null}
      {!actor ? <p className="warning">Give your name at the top first: reconciling and posting are recorded against it.</p> : null}
      <div className="filters payouts-filters">
        <nav className="payouts-filter" aria-label="Payouts filter">
          {FILTERS.map((f) => (
            <button key={f.filter} type="button" aria-pressed={filter === f.filter} onClick={() => setFilter(f.filter)}>
              {f.label}
            </button>
          ))}
        </nav>
        <span className="count" data-testid="payouts-total">
          {cycles.status === 'ready' ? counted(cycles.total ?? 0, 'cycle') : ''}
        </span>
      </div>
      <div className="payouts-actions">
        <button type="button" disabled={!actor || busy !== null} onClick={() => void reconcile()}>
          Reconcile now
        </button>
        <button
          type="button"
          className="primary"
          disabled={!actor || busy !== null || ticked.length === 0}
          onClick={() => {
            setMessage(null);
            setConfirming(ticked);
          }}
        >
          {ticked.length ? `Post ${counted(ticked.length, 'cycle')} to SAP` : 'Post to SAP'}
        </button>
        <span className="muted">Tick the cycles to post.</span>
        <form
          className="month-export"
          aria-label="Export a month"
          onSubmit={(e) => {
            e.preventDefault();
          }}
        >
          <label>
            Export a month
            <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
          </label>
          {(['csv', 'xlsx'] as const).map((format) => (
            <button key={format} type="button" disabled={exporting || !/^\d{4}-\d{2}$/.test(month)} onClick={() => void exportFile({ month, format })}>
              {format.toUpperCase()}
            </button>
          ))}
        </form>
      </div>
      {postingOff ? (
        <p className="muted" data-testid="posting-off">
          Posting to SAP is switched off in the settlement settings: Post to SAP posts nothing and says so for each cycle.{' '}
          <button type="button" className="link" onClick={onSettings}>
            Open the settlement settings
          </button>
        </p>
      ) : null}
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm posting">
          <p>
            {dryRun
              ? `Dry run: see what would be posted to SAP for ${counted(confirming.length, 'cycle')} (${confirming.join(', ')}). Nothing is posted.`
              : `Post ${counted(confirming.length, 'cycle')} (${confirming.join(', ')}) to SAP: for each, the marketplace's fee invoice as an A/P Invoice and the payout as an Incoming Payment.`}
            {confirming.some((id) => cycles.rows.find((c) => c.cycleId === id)?.posted)
              ? ' Posted before: it is posted again only if its Incoming Payment has been cancelled in SAP; while that payment stands, nothing is sent.'
              : ''}
          </p>
          <button type="button" className="primary" disabled={busy === 'post'} onClick={() => void post(confirming)}>
            {dryRun ? 'Show what would be posted' : 'Post to SAP'}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      ) : null}
      {message ? (
        <p role="status" data-testid="payouts-message">
          {message}
        </p>
      ) : null}
      {results ? (
        <div role="status" data-testid="post-results">
          <p>Post to SAP:</p>
          <ul>
            {results.map((r) => (
              <li key={r.cycleId} data-testid={`post-result-${r.cycleId}`} className={`post-outcome outcome-${r.outcome}`}>
                <span className="mono">{r.cycleId}</span>: {POST_OUTCOME_LABELS[r.outcome]}
                {r.message ? ` — ${r.message}` : ''}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <PayoutsTable list={cycles} filtered={filter !== 'all'} selection={selection} selectedId={openCycle} onOpen={setOpenCycle} />
      {openCycle !== null ? (
        <CycleDetail key={openCycle} cycleId={openCycle} refetchOn={PAYOUTS_CHANGES} actions={actions} onClose={() => setOpenCycle(null)} />
      ) : null}
      {timelineOrder ? <OrderTimelinePanel key={timelineOrder} orderId={timelineOrder} onClose={() => setTimelineOrder(null)} /> : null}
    </>
  );
}
