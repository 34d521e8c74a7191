import { ContractError, parseCommand, parseQuery, type CommandName, type CommandResponse, type QueryName, type QueryResponse } from '../../shared/contract';
import {
  FLOW_NAMES,
  type EngineState,
  type EngineStatus,
  type FlowName,
  type FlowStatus,
  type Health,
  type Run,
  type RunCounts,
  type RunTrigger,
} from '../../shared/domain/flows';
import type { ExceptionRecord } from '../../shared/domain/exceptions';
import type { Settings } from '../../shared/domain/settings';
import { createLedger, type Ledger } from './ledger';
import { EventStream, type EngineEventListener } from './events';
import { Scheduler, type ScheduleEntry } from './scheduler/scheduler';
import { computeHealth, driftSeconds } from './health';
import { isDryRunBlocked } from './net/errors';
import type { EnginePorts } from './ports';
import type { CommandHandlers, Flow, FlowContext, QueryHandlers } from './flows/flow';

export interface FlowDeps {
  ports: EnginePorts;
  ledger: Ledger;
  /** The settings as they are now (they change while the engine runs). */
  settings: () => Settings;
  /** Runs a flow now and resolves when that run is over (joins one in flight): a correction that retries at once. */
  runFlow?: (flow: FlowName) => Promise<unknown>;
  /** Tells every console (a queued command's outcome, once known). */
  emit?: EventStream['emit'];
}

export interface EngineOptions {
  ledgerFile: string;
  /** The flows this engine runs; the hosts pass the standard set, tests pass what they exercise. */
  buildFlows: (deps: FlowDeps) => Flow[];
}

export interface RunSummary {
  flow: FlowName;
  outcome: Run['outcome'];
  counts: RunCounts;
  error: string | null;
}

export interface Engine {
  readonly ledger: Ledger;
  start(): void;
  /**
   * Stops the timers, waits up to graceMs for runs in flight, closes the ledger. A run cut off here is
   * marked interrupted at the next start, and its outbox intents are looked up before anything is resent.
   */
  stop(graceMs?: number): Promise<void>;
  pause(): void;
  resume(): void;
  /** Starts the given flow (or every enabled flow) now; runs already in flight are joined, not doubled. */
  runNow(flow?: FlowName): FlowName[];
  /** Runs every enabled flow once, in order, and reports how each went (the headless host's --once). */
  runOnce(): Promise<RunSummary[]>;
  status(): EngineStatus;
  query<N extends QueryName>(name: N, payload: unknown): Promise<QueryResponse<N>>;
  command<N extends CommandName>(name: N, payload: unknown): Promise<CommandResponse<N>>;
  subscribe(listener: EngineEventListener): () => void;
  /** Resolves when no flow is running (tests). */
  idle(): Promise<void>;
}

export function createEngine(ports: EnginePorts, options: EngineOptions): Engine {
  const { clock, logger, notifier } = ports;
  const random = ports.random ?? Math.random;
  const ledger = createLedger(options.ledgerFile);
  const events = new EventStream();
  const startedAt = clock.now();
  const flows = new Map<FlowName, Flow>();
  for (const f of options.buildFlows({
    ports,
    ledger,
    settings: () => ports.settings.get(),
    runFlow: (flow) => scheduler.trigger(flow, 'manual'),
    emit: (n, p) => events.emit(n, p),
  }))
    flows.set(f.name, f);
  const ordered = FLOW_NAMES.filter((n) => flows.has(n));
  const unbuilt = FLOW_NAMES.filter((n) => !flows.has(n) && ports.settings.get().flows[n].enabled);
  if (unbuilt.length) logger.warn('The settings switch on flows this engine does not have: they do not run', { flows: unbuilt });

  let state: EngineState = 'stopped';
  let revision = 0;
  let lastHealth: Health = 'ok';

  const interrupted = ledger.runs.markInterrupted(new Date(clock.now()));
  if (interrupted) logger.warn('Runs cut short by the last shutdown were marked interrupted', { runs: interrupted });

  const scheduler = new Scheduler({
    clock,
    random,
    jitterFraction: () => ports.settings.get().jitterFraction,
    run: (flow, trigger) => runFlow(flow, trigger),
    onChange: () => statusChanged(),
  });
  scheduler.configure(schedules(ports.settings.get()));

  function schedules(settings: Settings): Partial<Record<FlowName, ScheduleEntry>> {
    return Object.fromEntries(ordered.map((f) => [f, { enabled: settings.flows[f].enabled, cadenceMs: settings.flows[f].cadenceSeconds * 1000 }]));
  }

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
        state === 'running' && schedule.enabled
          ? driftSeconds({
              now: clock.now(),
              lastSuccessAt,
              since: startedAt,
              cadenceSeconds: schedule.cadenceSeconds,
              jitterFraction: settings.jitterFraction,
              runningSince: running && lastRun?.outcome === 'running' ? Date.parse(lastRun.startedAt) : null,
            })
          : 0,
    };
  }

  function status(): EngineStatus {
    const settings = ports.settings.get();
    const flowStatuses = ordered.map((f) => flowStatus(f, settings));
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
    if (s.health !== lastHealth) {
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
  }

  function exceptionChanged(e: ExceptionRecord): void {
    events.emit('exception.changed', e);
    // A serious problem alerts a person once per opening (kept in the ledger, so a restart does not alert again).
    if ((e.severity === 'error' || e.severity === 'critical') && ledger.exceptions.claimNotification(e.id, new Date(clock.now()))) {
      notifier.notify({ title: `${e.flow}: ${e.record.type} ${e.record.key}`, body: e.summary, severity: e.severity });
    }
  }

  function contextFor(flow: FlowName, runId: number, trigger: RunTrigger, settings: Settings): FlowContext {
    const log = logger.child({ flow, runId });
    return {
      flow,
      runId,
      trigger,
      clock,
      logger: log,
      ledger,
      settings,
      dryRun: settings.dryRun,
      raise(input) {
        const { exception, reopened, quiet } = ledger.exceptions.raise({ ...input, flow }, new Date(clock.now()));
        const fields = { exceptionId: exception.id, type: exception.type, record: exception.record, occurrences: exception.occurrences };
        if (quiet) {
          log.debug('Dismissed exception seen again; its record has not changed', fields);
          return exception;
        }
        log.warn(reopened ? 'Dismissed exception reopened: its record changed' : 'Exception raised', fields);
        exceptionChanged(exception);
        return exception;
      },
      resolve(type, record) {
        const resolved = ledger.exceptions.resolveFor(flow, type, record, new Date(clock.now()));
        if (resolved) exceptionChanged(resolved);
      },
      async write(intent, send) {
        const recorded = ledger.intents.record({ flow, ...intent }, new Date(clock.now()));
        try {
          const { result, externalRef } = await send();
          ledger.intents.close(recorded.id, 'succeeded', new Date(clock.now()), { externalRef: externalRef ?? null });
          return { sent: true, result };
        } catch (error) {
          if (isDryRunBlocked(error)) {
            ledger.intents.close(recorded.id, 'dry-run', new Date(clock.now()));
            log.info('Dry run: write recorded, not sent', { system: intent.system, operation: intent.operation, recordKey: intent.recordKey });
            return { sent: false, dryRun: true };
          }
          const message = error instanceof Error ? error.message : String(error);
          // Sent, but no answer: the other side may still apply it, so the intent stays open for the flow's later lookup.
          if ((error as { outcomeUnknown?: unknown } | null)?.outcomeUnknown === true) ledger.intents.note(recorded.id, `No answer: ${message}`);
          else ledger.intents.close(recorded.id, 'failed', new Date(clock.now()), { error: message });
          throw error;
        }
      },
    };
  }

  async function runFlow(flow: FlowName, trigger: RunTrigger): Promise<Run> {
    const impl = flows.get(flow);
    if (!impl) throw new Error(`No ${flow} flow in this engine`);
    const settings = ports.settings.get();
    const run = ledger.runs.start(flow, trigger, new Date(clock.now()), settings.dryRun);
    let finished: Run;
    try {
      const counts = await impl.run(contextFor(flow, run.id, trigger, settings));
      finished = ledger.runs.finish(run.id, 'succeeded', new Date(clock.now()), counts, null);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error('Run failed', { flow, runId: run.id, error: message });
      finished = ledger.runs.finish(run.id, 'failed', new Date(clock.now()), {}, message);
    }
    events.emit('run.finished', finished);
    return finished;
  }

  function enabledFlows(): FlowName[] {
    const settings = ports.settings.get();
    return ordered.filter((f) => settings.flows[f].enabled);
  }

  function runNow(flow?: FlowName): FlowName[] {
    if (flow && !flows.has(flow)) throw new ContractError('failed', `This engine has no ${flow} flow yet`);
    const targets = flow ? [flow] : enabledFlows();
    for (const f of targets) void scheduler.trigger(f, 'manual').catch(() => undefined);
    return targets;
  }

  const queryHandlers: QueryHandlers = {
    'status.get': () => status(),
    'runs.list': (req) => ledger.runs.list(req),
    'exceptions.list': (req) => ledger.exceptions.list(req),
    'exceptions.get': (req) => ledger.exceptions.detail(req.id),
    'settings.get': () => ports.settings.get(),
  };

  function operatorMove(id: number, to: 'retrying' | 'dismissed', action: 'retry' | 'dismiss', actor: string, reason: string | null): ExceptionRecord {
    const current = ledger.exceptions.get(id);
    if (current.state === 'resolved' || current.state === 'dismissed') {
      throw new ContractError('failed', `Exception ${id} is already ${current.state}`);
    }
    const moved = ledger.exceptions.transition(id, to, action, actor, new Date(clock.now()), { reason });
    logger.info('Operator action on exception', { exceptionId: id, action, actor });
    exceptionChanged(moved);
    statusChanged();
    return moved;
  }

  const commandHandlers: CommandHandlers = {
    'engine.runNow': (req) => ({ started: runNow(req.flow) }),
    'engine.pause': () => {
      engine.pause();
      return { ok: true as const };
    },
    'engine.resume': () => {
      engine.resume();
      return { ok: true as const };
    },
    'exceptions.retry': (req) => {
      const moved = operatorMove(req.id, 'retrying', 'retry', req.actor, null);
      if (flows.has(moved.flow)) void scheduler.trigger(moved.flow, 'manual').catch(() => undefined);
      return moved;
    },
    'exceptions.dismiss': (req) => operatorMove(req.id, 'dismissed', 'dismiss', req.actor, req.reason),
    'settings.update': async (req) => {
      // A flow this engine does not have cannot be switched on or scheduled: saying yes would promise work nothing does.
      const missing = Object.keys(req.patch.flows ?? {}).filter((f) => !flows.has(f as FlowName));
      if (missing.length) {
        throw new ContractError(
          'failed',
          `This version has no ${missing.join(', ')} flow${missing.length > 1 ? 's' : ''}: ${missing.length > 1 ? 'they' : 'it'} cannot be switched on or scheduled`,
        );
      }
      const updated = await ports.settings.update(req.patch);
      logger.info('Settings changed', { actor: req.actor, patch: req.patch });
      scheduler.configure(schedules(updated));
      statusChanged();
      return updated;
    },
  };

  // Flows answer the contract messages of their own screens; a name claimed twice is a wiring mistake.
  for (const flow of flows.values()) {
    for (const [name, handler] of Object.entries(flow.queries ?? {})) {
      if (name in queryHandlers) throw new Error(`Query ${name} is answered twice (flow ${flow.name})`);
      (queryHandlers as Record<string, unknown>)[name] = handler;
    }
    for (const [name, handler] of Object.entries(flow.commands ?? {})) {
      if (name in commandHandlers) throw new Error(`Command ${name} is handled twice (flow ${flow.name})`);
      (commandHandlers as Record<string, unknown>)[name] = handler;
    }
  }

  const engine: Engine = {
    ledger,
    start() {
      if (state !== 'stopped') return;
      state = 'running';
      scheduler.start();
      logger.info('Engine started', { flows: enabledFlows() });
      statusChanged();
    },
    async stop(graceMs = 15_000) {
      scheduler.stop();
      state = 'stopped';
      await Promise.race([scheduler.idle(), clock.sleep(graceMs)]);
      statusChanged();
      ledger.close();
      logger.info('Engine stopped');
    },
    pause() {
      if (state !== 'running') return;
      scheduler.stop();
      state = 'paused';
      logger.info('Engine paused');
      statusChanged();
    },
    resume() {
      if (state !== 'paused') return;
      state = 'running';
      scheduler.start();
      logger.info('Engine resumed');
      statusChanged();
    },
    runNow,
    async runOnce() {
      const summaries: RunSummary[] = [];
      for (const flow of enabledFlows()) {
        const run = (await scheduler.trigger(flow, 'once')) as Run;
        summaries.push({ flow, outcome: run.outcome, counts: run.counts, error: run.error });
      }
      return summaries;
    },
    status,
    async query(name, payload) {
      const parsed = parseQuery(name, payload);
      const handler = queryHandlers[parsed.name] as ((r: unknown) => unknown) | undefined;
      if (!handler) throw new ContractError('unknown-message', `This engine does not answer ${parsed.name} (its flow is not enabled in this build)`);
      return (await handler(parsed.request)) as QueryResponse<typeof name>;
    },
    async command(name, payload) {
      const parsed = parseCommand(name, payload);
      const handler = commandHandlers[parsed.name] as ((r: unknown) => unknown) | undefined;
      if (!handler) throw new ContractError('unknown-message', `This engine does not carry out ${parsed.name} (its flow is not enabled in this build)`);
      return (await handler(parsed.request)) as CommandResponse<typeof name>;
    },
    subscribe: (listener) => events.subscribe(listener),
    idle: () => scheduler.idle(),
  };
  return engine;
}
