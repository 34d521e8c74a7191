import { ContractError, type CommandName, type CommandResponse, type QueryName, type QueryResponse } from '../../shared/contract';
import {
  FLOW_NAMES,
  financeRoleRefusal,
  roleRunsFlow,
  type EngineState,
  type EngineStatus,
  type FlowName,
  type Run,
  type RunCounts,
  type RunTrigger,
} from '../../shared/domain/flows';
import type { Settings } from '../../shared/domain/settings';
import { existsSync } from 'node:fs';
import { createLedger, type Ledger } from './ledger';
import { listBackups } from './ledger/backup';
import { LedgerDamagedError } from './ledger/integrity';
import { ledgerBackups, resolveBackupFolder } from './ledger-backups';
import { EventStream, type EngineEventListener } from './events';
import { observedHttp } from './net/observed-http';
import { Scheduler, type ScheduleEntry } from './scheduler/scheduler';
import { createContractRouter } from './contract-router';
import { flowContextFactory } from './flow-context';
import { createHealthMonitor } from './health-monitor';
import { ledgerMaintenance } from './maintenance';
import { startDiagnostics } from './diagnostics';
import { ledgerSpace } from './ledger-space';
import type { EnginePorts } from './ports';
import type { Flow } from './flows/flow';

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
  /** How often a full ledger disk is tried again (default LEDGER_SPACE_PROBE_MS). */
  ledgerSpaceProbeMs?: number;
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

/**
 * The engine: the flows on their timers, and their lifecycle (start, stop, pause, run now). The parts it is made
 * of live beside it: the contract router (contract-router.ts), the flow context and outbox (flow-context.ts), and
 * health and notifications (health-monitor.ts).
 */
export function createEngine(ports: EnginePorts, options: EngineOptions): Engine {
  const { clock, logger } = ports;
  const random = ports.random ?? Math.random;
  const ledger = openEngineLedger(options.ledgerFile, resolveBackupFolder(ports.settings.get().backup, options.ledgerFile), logger);
  // Settle times of unanswered creates in real time: the wall clock may be set forward while SAP is still committing.
  if (clock.monotonic) ledger.intents.followMonotonicClock(() => clock.monotonic!());
  // Memory and event-loop blocking of the process the engine runs in, measured from its start.
  const diagnostics = startDiagnostics();
  const events = new EventStream();
  const startedAt = clock.now();
  const flows = new Map<FlowName, Flow>();
  // Every request the flows' connectors make is counted for the Overview's history of how SAP and the marketplace answer.
  const flowPorts: EnginePorts = {
    ...ports,
    // A minute's counts that cannot be written tell of a full disk like any other write.
    http: observedHttp(ports.http, (system, ms, failed) => recorded(() => ledger.requestStats.record(system, ms, failed, clock.now()))),
  };
  for (const f of options.buildFlows({
    ports: flowPorts,
    ledger,
    settings: () => ports.settings.get(),
    runFlow: (flow) => scheduler.trigger(flow, 'manual'),
    emit: (n, p) => events.emit(n, p),
  }))
    flows.set(f.name, f);
  const ordered = FLOW_NAMES.filter((n) => flows.has(n));
  const unbuilt = FLOW_NAMES.filter((n) => !flows.has(n) && ports.settings.get().flows[n].enabled);
  if (unbuilt.length) logger.warn('The settings switch on flows this engine does not have: they do not run', { flows: unbuilt });
  // The console's role decides which of its flows run (settings.role): a finance console never syncs.
  const runs = (flow: FlowName) => roleRunsFlow(ports.settings.get().role, flow);
  const notForRole = ordered.filter((n) => !runs(n) && ports.settings.get().flows[n].enabled);
  if (notForRole.length) logger.warn('The settings switch on flows a finance console does not run: they do not run', { flows: notForRole });

  let state: EngineState = 'stopped';

  // A full disk under the ledger stops sync (no run could record anything) until there is room again.
  const space = ledgerSpace({
    db: ledger.db,
    file: options.ledgerFile,
    clock,
    logger,
    probeEveryMs: options.ledgerSpaceProbeMs,
    changed: (full) => (full ? haltForSpace() : void resumeAfterSpace()),
  });
  function markInterrupted(why?: string): void {
    try {
      const interrupted = ledger.runs.markInterrupted(new Date(clock.now()), why);
      if (interrupted) logger.warn('Runs cut short were marked interrupted', { runs: interrupted, why: why ?? 'the last shutdown' });
    } catch (error) {
      if (!space.noticed(error)) throw error;
    }
  }

  const scheduler = new Scheduler({
    clock,
    random,
    jitterFraction: () => ports.settings.get().jitterFraction,
    run: (flow, trigger) => runFlow(flow, trigger),
    onChange: () => monitor.statusChanged(),
  });
  scheduler.configure(schedules(ports.settings.get()));

  const monitor = createHealthMonitor({
    ledger,
    clock,
    notifier: ports.notifier,
    events,
    scheduler,
    flows: () => ordered.filter(runs),
    settings: () => ports.settings.get(),
    state: () => state,
    ledgerFull: () => space.full,
    startedAt,
  });
  // Runs the last process left 'running' were cut short; on a full disk this is the first write that fails, and the
  // engine starts halted, saying so, instead of not starting at all.
  markInterrupted();
  const maintenance = ledgerMaintenance({ ledger, clock, logger, retention: () => ports.settings.get().retention });
  const backups = ledgerBackups({
    ledger,
    ledgerFile: options.ledgerFile,
    clock,
    logger,
    settings: () => ports.settings.get().backup,
    exceptionChanged: (e) => {
      monitor.exceptionChanged(e);
      monitor.statusChanged();
    },
  });
  const contextFor = flowContextFactory({ ledger, clock, logger, exceptionChanged: (e) => monitor.exceptionChanged(e) });

  function schedules(settings: Settings): Partial<Record<FlowName, ScheduleEntry>> {
    return Object.fromEntries(
      ordered.map((f) => [f, { enabled: settings.flows[f].enabled && roleRunsFlow(settings.role, f), cadenceMs: settings.flows[f].cadenceSeconds * 1000 }]),
    );
  }

  /** Writes to the ledger that fail because its disk is full stop sync (space.noticed), then go on failing as they did. */
  function recorded<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      space.noticed(error);
      throw error;
    }
  }

  async function runFlow(flow: FlowName, trigger: RunTrigger): Promise<Run> {
    const impl = flows.get(flow);
    if (!impl) throw new Error(`No ${flow} flow in this engine`);
    if (!runs(flow)) throw new Error(financeRoleRefusal([flow]));
    if (space.full) throw new Error(space.full.message);
    const settings = ports.settings.get();
    const run = recorded(() => ledger.runs.start(flow, trigger, new Date(clock.now()), settings.dryRun));
    let counts: RunCounts = {};
    let failure: string | null = null;
    try {
      counts = await impl.run(contextFor(flow, run.id, trigger, settings));
    } catch (error) {
      // Cut short by a full disk: nothing more can be recorded; the run is marked interrupted once there is room.
      if (space.noticed(error)) throw error;
      failure = error instanceof Error ? error.message : String(error);
      logger.error('Run failed', { flow, runId: run.id, error: failure });
    }
    const finished = recorded(() => ledger.runs.finish(run.id, failure === null ? 'succeeded' : 'failed', new Date(clock.now()), counts, failure));
    events.emit('run.finished', finished);
    return finished;
  }

  /** The ledger's disk is full: no run starts until there is room (runs in flight fail at their next write). */
  function haltForSpace(): void {
    scheduler.stop();
    monitor.statusChanged();
  }

  /** There is room again: the runs the full disk cut short are marked so, and the timers start again. */
  async function resumeAfterSpace(): Promise<void> {
    await scheduler.idle();
    markInterrupted('The ledger’s disk was full');
    if (state === 'running' && !space.full) scheduler.start();
    monitor.statusChanged();
  }

  function enabledFlows(): FlowName[] {
    const settings = ports.settings.get();
    return ordered.filter((f) => settings.flows[f].enabled && roleRunsFlow(settings.role, f));
  }

  function runNow(flow?: FlowName): FlowName[] {
    if (flow && !flows.has(flow)) throw new ContractError('failed', `This engine has no ${flow} flow yet`);
    if (flow && !runs(flow)) throw new ContractError('failed', financeRoleRefusal([flow]));
    // A person who freed space presses Run now: the disk is tried at once instead of at the next check.
    if (space.full && !space.probe()) throw new ContractError('failed', space.full.message);
    const targets = flow ? [flow] : enabledFlows();
    for (const f of targets) void scheduler.trigger(f, 'manual').catch(() => undefined);
    return targets;
  }

  function pause(): void {
    if (state !== 'running') return;
    scheduler.stop();
    state = 'paused';
    logger.info('Engine paused');
    monitor.statusChanged();
  }

  function resume(): void {
    if (state !== 'paused') return;
    state = 'running';
    if (!space.full) scheduler.start();
    logger.info('Engine resumed');
    monitor.statusChanged();
  }

  const router = createContractRouter({
    ledger,
    clock,
    logger,
    settings: ports.settings,
    flows,
    monitor,
    diagnostics,
    backups,
    controls: {
      runNow,
      pause,
      resume,
      runSoon: (flow) => void scheduler.trigger(flow, 'manual').catch(() => undefined),
      settingsChanged: (settings) => scheduler.configure(schedules(settings)),
    },
  });

  return {
    ledger,
    start() {
      if (state !== 'stopped') return;
      state = 'running';
      if (!space.full) scheduler.start();
      maintenance.start();
      backups.start();
      logger.info('Engine started', { flows: enabledFlows() });
      monitor.statusChanged();
    },
    async stop(graceMs = 15_000) {
      scheduler.stop();
      maintenance.stop();
      space.stop();
      state = 'stopped';
      await Promise.race([scheduler.idle(), clock.sleep(graceMs)]);
      // A backup in progress is abandoned (its partial copy removed) before the ledger closes under it.
      await backups.stop();
      monitor.statusChanged();
      ledger.close();
      diagnostics.stop();
      logger.info('Engine stopped');
    },
    pause,
    resume,
    runNow,
    async runOnce() {
      const summaries: RunSummary[] = [];
      for (const flow of enabledFlows()) {
        const run = (await scheduler.trigger(flow, 'once')) as Run;
        summaries.push({ flow, outcome: run.outcome, counts: run.counts, error: run.error });
      }
      return summaries;
    },
    status: () => monitor.status(),
    query: (name, payload) => router.query(name, payload),
    // A command that could not be recorded for want of space says so in the words the Overview uses.
    command: (name, payload) =>
      router.command(name, payload).catch((error: unknown) => {
        if (space.noticed(error)) throw new ContractError('failed', space.full!.message);
        throw error;
      }),
    subscribe: (listener) => events.subscribe(listener),
    idle: () => scheduler.idle(),
  };
}

/**
 * The engine's ledger, checked as it opens. A damaged one is refused with the newest backup named (the way back,
 * docs/ledger.md); a missing one is started empty, and said loudly when backups exist (a lost disk, a deleted file).
 */
function openEngineLedger(ledgerFile: string, backupFolder: string, logger: EnginePorts['logger']): Ledger {
  const existed = existsSync(ledgerFile);
  let ledger: Ledger;
  try {
    ledger = createLedger(ledgerFile);
  } catch (error) {
    if (!(error instanceof LedgerDamagedError)) throw error;
    const newest = listBackups(backupFolder)[0] ?? null;
    const damaged = error.withBackup(newest && { file: newest.file, at: newest.at });
    logger.error('The ledger is damaged: the engine does not start on it', { file: ledgerFile, findings: damaged.findings, newestBackup: newest?.file });
    throw damaged;
  }
  const newest = existed ? undefined : listBackups(backupFolder)[0];
  if (newest)
    logger.warn('There was no ledger, so a new empty one was started, though backups exist: to go back to the newest, stop the engine and restore it', {
      file: ledgerFile,
      newestBackup: newest.file,
      takenAt: newest.at,
    });
  return ledger;
}
