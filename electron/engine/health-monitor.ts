import type { EngineState, EngineStatus, FlowName, FlowStatus, Health } from '../../shared/domain/flows';
import type { ExceptionRecord } from '../../shared/domain/exceptions';
import type { Settings } from '../../shared/domain/settings';
import type { EventStream } from './events';
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

/** Health and notifications: the status (drift, failure streaks, the one word the tray shows) and who hears of a change. */
export function createHealthMonitor(deps: HealthMonitorDeps): HealthMonitor {
  const { ledger, clock, notifier, events, scheduler } = deps;
  let revision = 0;
  let lastHealth: Health = 'ok';

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
    return {
      state,
      health: computeHealth({ flows: flowStatuses, openExceptions, paused: state === 'paused' }),
      dryRun: settings.dryRun,
      flows: flowStatuses,
      openExceptions,
      revision,
    };
  }

  function statusChanged(): void {
    revision++;
    const s = status();
    events.emit('status.changed', s);
    if (s.health === lastHealth) return;
    if (s.health === 'failing') {
      const failing = s.flows.filter((f) => f.failureStreak > 0 || f.driftSeconds > 0);
      notifier.notify({
        title: 'Sync failing',
        body:
          failing.map((f) => `${f.flow}: ${f.lastRun?.error ?? `no successful run for ${f.driftSeconds + f.cadenceSeconds} s`}`).join('\n') ||
          'A flow is failing',
        severity: 'critical',
      });
    } else if (lastHealth === 'failing') {
      notifier.notify({ title: 'Sync recovered', body: 'Every flow is running again.', severity: 'info' });
    }
    lastHealth = s.health;
  }

  function exceptionChanged(e: ExceptionRecord): void {
    events.emit('exception.changed', e);
    // A serious problem alerts a person once per opening (kept in the ledger, so a restart does not alert again).
    if ((e.severity === 'error' || e.severity === 'critical') && ledger.exceptions.claimNotification(e.id, new Date(clock.now()))) {
      notifier.notify({ title: `${e.flow}: ${e.record.type} ${e.record.key}`, body: e.summary, severity: e.severity });
    }
  }

  return { status, statusChanged, exceptionChanged };
}
