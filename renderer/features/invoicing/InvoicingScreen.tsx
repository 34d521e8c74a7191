import { useState } from 'react';
import { FlowNotice } from '../../app/FlowNotice';
import { useCommand } from '../../app/use-command';
import { onEvent, useContractList, useContractQuery } from '../../data/use-contract-query';
import { formatDateTime, formatRelative } from '../../format/time';
import { useNow } from '../../format/use-now';
import { useConsole } from '../../store/react';
import { OrderTimelinePanel } from '../orders/OrderTimelinePanel';
import { BatchDetail } from './BatchDetail';
import { BatchesTable } from './BatchesTable';
import { InvoicingSettingsPanel } from './InvoicingSettingsPanel';
import './invoicing.css';

/** Batches change when an invoicing run ends; the number waiting also when despatch delivers more orders. */
const INVOICING_CHANGES = [onEvent('run.finished', (run) => run.flow === 'invoicing' || run.flow === 'despatch' || run.flow === 'returns')] as const;

/** Invoicing: the batches and Run now; or the invoicing settings, as on the Orders screen. */
export function InvoicingScreen() {
  const [view, setView] = useState<'batches' | 'settings'>('batches');
  return (
    <div className="invoicing">
      <nav className="invoicing-view" aria-label="Invoicing views">
        <button type="button" aria-pressed={view === 'batches'} onClick={() => setView('batches')}>
          Batches
        </button>
        <button type="button" aria-pressed={view === 'settings'} onClick={() => setView('settings')}>
          Invoicing settings
        </button>
      </nav>
      {view === 'batches' ? <InvoicingWork /> : <InvoicingSettingsPanel />}
    </div>
  );
}

/** What waits for an invoice and when the next batch runs, Run now, the batches and each batch's invoices. */
function InvoicingWork() {
  const actor = useConsole((s) => s.ui.actor);
  const dryRun = useConsole((s) => s.status?.dryRun ?? false);
  const now = useNow();
  const { busy, send, readOnly } = useCommand();
  const [openBatch, setOpenBatch] = useState<number | null>(null);
  const [timelineOrder, setTimelineOrder] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const batches = useContractList('invoicing.batches', {}, { pageSize: 50, refetchOn: INVOICING_CHANGES, rowKey: (b) => String(b.id) });
  const answer = batches.response;
  const settings = useContractQuery('settings.get', {});
  const daily = settings.data?.invoicing;

  const runNow = async () => {
    if (!actor) return;
    const res = await send('run', 'invoicing.runNow', { actor });
    if (!res) return;
    setMessage(
      res.started
        ? 'Invoicing batch started: it shows in the list below, and its invoices when it ends.'
        : 'The engine did not start a batch now: one may be running already. The list below shows it when it ends.',
    );
    batches.refetch();
  };

  return (
    <>
      <FlowNotice flow="invoicing" />
      {dryRun ? <p className="warning">Dry run is on: a batch records the invoices it would post and posts nothing to SAP.</p> : null}
      <div className="summary invoicing-summary">
        <div className="stat">
          <span className="stat-label">Waiting for an invoice</span>
          <span className="stat-value" data-testid="invoicing-waiting">
            {answer ? (answer.waiting === 0 ? 'None' : answer.waiting === 1 ? '1 delivered order' : `${answer.waiting} delivered orders`) : '…'}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Next batch</span>
          <span className="stat-value" data-testid="invoicing-next">
            {answer ? (answer.nextRunAt ? `${formatDateTime(answer.nextRunAt)} (${formatRelative(answer.nextRunAt, now)})` : 'None scheduled') : '…'}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Daily batch</span>
          <span className="stat-value" data-testid="invoicing-schedule">
            {daily ? `${daily.runAt} UK time, up to ${daily.batchSize} invoices a batch` : settings.status === 'error' ? '—' : '…'}
          </span>
        </div>
        <div className="actions">
          <button type="button" className="primary" disabled={!actor || readOnly || busy === 'run'} onClick={() => void runNow()}>
            {busy === 'run' ? 'Starting…' : 'Run invoicing now'}
          </button>
          {!actor ? <span className="muted">Give your name at the top first: the run is recorded against it.</span> : null}
        </div>
      </div>
      {message ? (
        <p role="status" data-testid="invoicing-message">
          {message}
        </p>
      ) : null}
      <h2>Batches</h2>
      <BatchesTable list={batches} selectedId={openBatch} onOpen={setOpenBatch} />
      {openBatch !== null ? (
        <BatchDetail key={openBatch} id={openBatch} refetchOn={INVOICING_CHANGES} onClose={() => setOpenBatch(null)} onOrder={setTimelineOrder} />
      ) : null}
      {timelineOrder ? <OrderTimelinePanel key={timelineOrder} orderId={timelineOrder} onClose={() => setTimelineOrder(null)} /> : null}
    </>
  );
}
