import type { EngineNotification, EngineState, EngineStatus, FlowName, FlowStatus, Health, LedgerFull } from '../../shared/domain/flows';
import type { ExceptionRecord } from '../../shared/domain/exceptions';
import type { Settings } from '../../shared/domain/settings';
import type { EventStream } from './events';
import { consoleAddress } from '../../shared/domain/console-address';
import { computeHealth, driftSeconds } from './health';
import type { Ledger } from './ledger';
import type { Clock, Notifier } from './ports';
import type { Scheduler } from './scheduler/scheduler';

export interface HealthMonitorDeps {
  ledger: Ledger;
  clock: Clock;
  notifier: Notifier;
  events: EventStream;
  scheduler: Pick<Scheduler, 'nextRunAt' | 'isRunning'>;
  /** The flows this engine runs (those it has that the console's role runs), in run order. */
  flows: () => readonly FlowName[];
  settings: () => Settings;
  state: () => EngineState;
  /** Set while the ledger's disk is full (ledger-space.ts). */
  ledgerFull?: () => LedgerFull | null;
  /** When the engine was built: a flow that has never succeeded drifts from here. */
  startedAt: number;
}

export interface HealthMonitor {
  /** The engine's status as the console and the tray show it. */
  status(): EngineStatus;
  /** Something the status shows changed: tell every console, and a person when sync starts failing or recovers. */
  statusChanged(): void;
  /** An exception changed: tell every console, and a person once per opening when it is serious. */
  exceptionChanged(exception: ExceptionRecord): void;
}

/** Each flow as the office names it, in a notification's words. */
const FLOW_WORDS: Record<FlowName, string> = {
  health: 'Connections',
  orders: 'Orders',
  stock: 'Stock',
  despatch: 'Despatch',
  invoicing: 'Invoicing',
  returns: 'Returns',
  settlement: 'Payouts',
};

/** What the record is, in words: 'order', 'SKU', 'billing cycle'. */
const recordWords = (type: string) =>
  type
    .replace(/-/g, ' ')
    .replace(/\bsku\b/gi, 'SKU')
    .replace(/\bsap\b/gi, 'SAP');

/** The systems the health check probes (flows/health/probes.ts), as people call them. */
const SYSTEM_WORDS: Record<string, string> = { 'sap-b1': 'SAP Business One', marketplace: 'John Lewis Marketplace' };

/** "Despatch blocked: order 000000104-A", "Stock blocked: SKU JL-1001", "Connection failed: SAP Business One", "Ledger backup failed". */
export function notificationTitle(e: Pick<ExceptionRecord, 'flow' | 'record'>): string {
  if (e.record.type === 'system') return `Connection failed: ${SYSTEM_WORDS[e.record.key] ?? e.record.key}`;
  // The engine's own ledger ("Ledger backup failed"), not a record of a flow.
  if (e.record.type === 'ledger') return `Ledger ${e.record.key} failed`;
  return `${FLOW_WORDS[e.flow]} blocked: ${recordWords(e.record.type)} ${e.record.key}`;
}

/** Health and notifications: the status (drift, failure streaks, the one word the tray shows) and who hears of a change. */
export function createHealthMonitor(deps: HealthMonitorDeps): HealthMonitor {
  const { ledger, clock, notifier, events, scheduler } = deps;
  let revision = 0;
  let lastHealth: Health = 'ok';
  let wasFull = false;

  function flowStatus(flow: FlowName, settings: Settings): FlowStatus {
    const schedule = settings.flows[flow];
    const lastSuccessAt = ledger.runs.lastSuccessAt(flow);
    const next = scheduler.nextRunAt(flow);
    const lastRun = ledger.runs.last(flow);
    const running = scheduler.isRunning(flow);
    return {
      flow,
      enabled: schedule.enabled,
      cadenceSeconds: schedule.cadenceSeconds,
      running,
      lastRun,
      lastSuccessAt,
      nextRunAt: next === null ? null : new Date(next).toISOString(),
      failureStreak: ledger.runs.failureStreak(flow),
      driftSeconds:
        deps.state() === 'running' && schedule.enabled
          ? driftSeconds({
              now: clock.now(),
              lastSuccessAt,
              since: deps.startedAt,
              cadenceSeconds: schedule.cadenceSeconds,
              jitterFraction: settings.jitterFraction,
              runningSince: running && lastRun?.outcome === 'running' ? Date.parse(lastRun.startedAt) : null,
            })
          : 0,
    };
  }

  function status(): EngineStatus {
    const settings = deps.settings();
    const state = deps.state();
    const flowStatuses = deps.flows().map((f) => flowStatus(f, settings));
    const openExceptions = ledger.exceptions.countOpen();
    const ledgerFull = deps.ledgerFull?.() ?? null;
    return {
      state,
      health: computeHealth({ flows: flowStatuses, openExceptions, paused: state === 'paused', ledgerFull: ledgerFull !== null }),
      ledgerFull,
      dryRun: settings.dryRun,
      flows: flowStatuses,
      openExceptions,
      revision,
    };
  }

  /** The tray (or the log) and every console that notifies by itself hear the same thing. */
  function tell(n: EngineNotification): void {
    notifier.notify(n);
    events.emit('notification', n);
  }

  function statusChanged(): void {
    revision++;
    const s = status();
    events.emit('status.changed', s);
    const full = !!s.ledgerFull;
    if (full && !wasFull) {
      // A full disk is told in its own words, once; "Sync recovered" follows once the flows run again.
      wasFull = true;
      lastHealth = 'failing';
      tell({ title: 'Sync stopped: the disk is full', body: s.ledgerFull!.message, severity: 'critical', address: consoleAddress('overview') });
      return;
    }
    if (!full) wasFull = false;
    if (s.health === lastHealth) return;
    if (s.health === 'failing') {
      const failing = s.flows.filter((f) => f.failureStreak > 0 || f.driftSeconds > 0);
      tell({
        title: 'Sync failing',
        body:
          failing.map((f) => `${FLOW_WORDS[f.flow]}: ${f.lastRun?.error ?? `no successful run for ${f.driftSeconds + f.cadenceSeconds} s`}`).join('\n') ||
          'A flow is failing',
        severity: 'critical',
        address: consoleAddress('overview'),
      });
    } else if (lastHealth === 'failing') {
      tell({ title: 'Sync recovered', body: 'Every flow is running again.', severity: 'info', address: consoleAddress('overview') });
    }
    lastHealth = s.health;
  }

  function exceptionChanged(e: ExceptionRecord): void {
    events.emit('exception.changed', e);
    // A serious problem alerts a person once per opening (kept in the ledger, so a restart does not alert again).
    if ((e.severity === 'error' || e.severity === 'critical') && ledger.exceptions.claimNotification(e.id, new Date(clock.now()))) {
      tell({ title: notificationTitle(e), body: e.summary, severity: e.severity, address: consoleAddress('exceptions', String(e.id)) });
    }
  }

  return { status, statusChanged, exceptionChanged };
}
