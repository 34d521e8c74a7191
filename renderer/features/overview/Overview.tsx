import type { FlowName } from '../../../shared/domain/flows';
import { FLOW_LABELS } from '../../format/words';
import { useConsole } from '../../store/react';
import { FlowsTable } from './FlowsTable';
import { DayPanels, NeedsYou, useHealthHistory } from './HealthHistory';
import { useCommand } from '../../app/use-command';
import { onEvent, useContractQuery } from '../../data/use-contract-query';
import { formatDateTime, formatRelative } from '../../format/time';
import { useNow } from '../../format/use-now';

const STATE_LABEL = { running: 'Running', paused: 'Paused', stopped: 'Stopped' } as const;
const HEALTH_LABEL = { ok: 'OK', attention: 'Needs attention', failing: 'Failing' } as const;

/** The engine process's own memory and longest block, for IT: a sync engine that swells or stalls shows here first. */
function EngineFigures() {
  const d = useContractQuery('engine.diagnostics', {}, { refetchOn: DIAGNOSTICS_REFRESH }).data;
  if (!d) return null;
  return (
    <div className="stat">
      <span className="stat-label">Engine memory</span>
      <span
        className="stat-value small-value"
        data-testid="engine-figures"
        title={`Longest block of its own work since it started: ${d.eventLoop.maxWorkMs} ms`}
      >
        {Math.round(d.memory.rssMb)} MB{' '}
        <span className="muted">
          (peak {Math.round(d.memory.peakRssMb)} MB, longest block {Math.round(d.eventLoop.maxWorkMs)} ms)
        </span>
      </span>
    </div>
  );
}

const DIAGNOSTICS_REFRESH = [onEvent('run.finished', () => true)];

/**
 * The ledger's daily backup, for IT: when the last checked copy was taken and its size, or that the last attempt
 * failed (why, in its title; the exception says what to do), or that backups are off.
 */
function LedgerBackupFigure() {
  const now = useNow();
  const b = useContractQuery('ledger.backup', {}, { refetchOn: BACKUP_REFRESH }).data;
  if (!b) return null;
  const size = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
  const [text, tone, title] = !b.enabled
    ? ['Off', 'attention', 'The daily backup is switched off (settings.backup.enabled)']
    : b.failure
      ? [`Failed ${formatRelative(b.failure.at, now)}`, 'failing', `${b.failure.error}${b.last ? `\nLast good one: ${b.last.file}` : ''}`]
      : b.last
        ? [`${formatRelative(b.last.at, now)} (${size(b.last.bytes)}, checked)`, 'ok', `${b.last.file}, taken ${formatDateTime(b.last.at)}`]
        : ['None yet', 'attention', b.nextCheckAt ? `The first is taken about ${formatRelative(b.nextCheckAt, now)}` : ''];
  return (
    <div className="stat">
      <span className="stat-label">Ledger backup</span>
      <span
        className={`stat-value small-value health-${tone}`}
        data-testid="ledger-backup"
        data-backup={tone}
        title={`${title}\nFolder: ${b.folder}, ${b.keepDays} days kept`}
      >
        {text}
      </span>
    </div>
  );
}

const BACKUP_REFRESH = [onEvent('run.finished', () => true), onEvent('exception.changed', (e) => e.record.type === 'ledger')];

export function Overview() {
  const status = useConsole((s) => s.status);
  const setTab = useConsole((s) => s.setTab);
  const notify = useConsole((s) => s.notify);
  const { busy, send } = useCommand();
  const history = useHealthHistory();

  if (!status) return <p className="empty">Waiting for the engine’s status…</p>;

  const runNow = async (flow?: FlowName) => {
    const result = await send(flow ?? 'all', 'engine.runNow', flow ? { flow } : {});
    if (!result) return;
    notify(
      'info',
      result.started.length
        ? `Started: ${result.started.map((f) => FLOW_LABELS[f]).join(', ')}.`
        : 'Nothing started: the flows are disabled or already running.',
    );
  };

  return (
    <div className="overview">
      {status.dryRun ? (
        <div className="dry-run-banner" role="note" data-testid="dry-run-banner">
          DRY RUN — nothing is written to SAP or the marketplace; flows record what they would have sent.
        </div>
      ) : null}
      <section className="summary" aria-label="Engine">
        <div className="stat">
          <span className="stat-label">Engine</span>
          <span className={`stat-value state-${status.state}`} data-testid="engine-state" data-state={status.state}>
            {STATE_LABEL[status.state]}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Health</span>
          <span className={`stat-value health-${status.health}`} data-testid="engine-health" data-health={status.health}>
            {HEALTH_LABEL[status.health]}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Open exceptions</span>
          <button
            type="button"
            className={`stat-value link ${status.openExceptions ? 'has-open' : ''}`}
            data-testid="open-exceptions"
            aria-label={`${status.openExceptions} open exceptions: show them`}
            onClick={() => setTab('exceptions')}
          >
            {status.openExceptions}
          </button>
        </div>
        <EngineFigures />
        <LedgerBackupFigure />
        <div className="actions">
          <button type="button" className="primary" disabled={busy !== null} onClick={() => void runNow()}>
            Run now
          </button>
          {status.state === 'paused' ? (
            <button type="button" disabled={busy !== null} onClick={() => void send('resume', 'engine.resume', {})}>
              Resume
            </button>
          ) : (
            <button type="button" disabled={busy !== null || status.state === 'stopped'} onClick={() => void send('pause', 'engine.pause', {})}>
              Pause
            </button>
          )}
        </div>
      </section>
      {history.data ? <NeedsYou due={history.data.due} /> : null}
      <FlowsTable flows={status.flows} recent={history.data?.flows ?? null} busy={busy} onRun={(flow) => void runNow(flow)} />
      {history.status === 'error' ? (
        <p className="notice notice-error">Could not load the day’s history: {history.error}</p>
      ) : history.data ? (
        <DayPanels history={history.data} />
      ) : (
        <p className="loading">Loading the day’s history…</p>
      )}
    </div>
  );
}
