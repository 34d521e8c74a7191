import type { BulkOutcome } from '../../shared/contract/exceptions';
import type { HealthHistory } from '../../shared/contract/health';
import { callBudget } from './connectors/john-lewis/budget';
import { latestCallWindows } from './ledger/marketplace-calls';
import { searchRecords } from './search';
import { ContractError, parseCommand, parseQuery, type CommandName, type CommandResponse, type QueryName, type QueryResponse } from '../../shared/contract';
import { financeRoleRefusal, roleRunsFlow, type FlowName } from '../../shared/domain/flows';
import type { ExceptionRecord } from '../../shared/domain/exceptions';
import type { Settings } from '../../shared/domain/settings';
import type { EngineDiagnostics } from '../../shared/domain/diagnostics';
import type { HealthMonitor } from './health-monitor';
import type { LedgerBackups } from './ledger-backups';
import type { Ledger } from './ledger';
import type { Clock, Logger, SettingsStore } from './ports';
import type { CommandHandlers, Flow, QueryHandlers } from './flows/flow';

/** What the router asks of the engine's lifecycle (the scheduler and its state live in engine.ts). */
export interface EngineControls {
  runNow(flow?: FlowName): FlowName[];
  pause(): void;
  resume(): void;
  /** Runs the flow now, in the background (an operator asked to retry one of its records). */
  runSoon(flow: FlowName): void;
  /** The settings changed: plan the flows' runs again. */
  settingsChanged(settings: Settings): void;
}

export interface ContractRouterDeps {
  ledger: Ledger;
  clock: Clock;
  logger: Logger;
  settings: SettingsStore;
  flows: ReadonlyMap<FlowName, Flow>;
  monitor: HealthMonitor;
  controls: EngineControls;
  /** The engine process's own memory and event-loop figures, and starting their "since reset" part again. */
  diagnostics: { snapshot(): EngineDiagnostics; reset(): void };
  /** The ledger's daily backups (their state for the Overview). */
  backups: Pick<LedgerBackups, 'status'>;
}

export interface ContractRouter {
  query<N extends QueryName>(name: N, payload: unknown): Promise<QueryResponse<N>>;
  command<N extends CommandName>(name: N, payload: unknown): Promise<CommandResponse<N>>;
}

/**
 * The contract's way in: every query and command is parsed with its schema, then answered by the engine's own
 * handlers (status, runs, exceptions, settings, pause and resume) or by the flow that registered it for its screen.
 */
export function createContractRouter(deps: ContractRouterDeps): ContractRouter {
  const { ledger, clock, logger, flows, monitor, controls } = deps;

  const queryHandlers: QueryHandlers = {
    'status.get': () => monitor.status(),
    'engine.diagnostics': () => deps.diagnostics.snapshot(),
    'ledger.backup': () => deps.backups.status(),
    'runs.list': (req) => ledger.runs.list(req),
    'exceptions.list': (req) => ledger.exceptions.list(req),
    'exceptions.groups': (req) => ledger.exceptions.groups(req),
    'exceptions.get': (req) => ledger.exceptions.detail(req.id),
    'settings.get': () => deps.settings.get(),
    'health.history': (req) => healthHistory(req.hours),
    'search.records': (req) => searchRecords(ledger.db, req.text),
  };

  /** The Overview's last day: how SAP and the marketplace answered, each flow's latest runs, the call budget, what is due. */
  function healthHistory(hours: number): HealthHistory {
    const until = clock.now();
    const from = until - hours * 3_600_000;
    // Windows of a quarter of an hour for a day: 96 points a chart, fine enough to see a slow afternoon.
    const windowMs = Math.max(5, Math.round((hours * 60) / 96)) * 60_000;
    const history = ledger.requestStats.history(from, until, windowMs);
    return {
      from: new Date(from).toISOString(),
      until: new Date(until).toISOString(),
      windowMinutes: windowMs / 60_000,
      systems: [...history].map(([system, h]) => ({ system, ...h })),
      flows: [...flows.keys()].map((flow) => ({
        flow,
        runs: ledger.runs.recent(flow, 30).map((r) => ({ id: r.id, startedAt: r.startedAt, outcome: r.outcome })),
      })),
      budget: callBudget(latestCallWindows(ledger.db), until).map((b) => ({
        ...b,
        pausedUntil: b.pausedUntil === null ? null : new Date(b.pausedUntil).toISOString(),
      })),
      due: ledger.exceptions.due(10),
    };
  }

  function operatorMove(id: number, to: 'retrying' | 'dismissed', action: 'retry' | 'dismiss', actor: string, reason: string | null): ExceptionRecord {
    const current = ledger.exceptions.get(id);
    if (current.state === 'resolved' || current.state === 'dismissed') {
      throw new ContractError('failed', `Exception ${id} is already ${current.state}`);
    }
    const moved = ledger.exceptions.transition(id, to, action, actor, new Date(clock.now()), { reason });
    logger.info('Operator action on exception', { exceptionId: id, action, actor });
    monitor.exceptionChanged(moved);
    monitor.statusChanged();
    return moved;
  }

  /** A bulk action, one exception at a time: one that cannot move is refused with why, and the others still move. */
  function bulk(ids: readonly number[], move: (id: number) => ExceptionRecord): { results: BulkOutcome['results']; flows: Set<FlowName> } {
    const results: BulkOutcome['results'] = [];
    const moved = new Set<FlowName>();
    for (const id of new Set(ids)) {
      try {
        moved.add(move(id).flow);
        results.push({ id, outcome: 'done', reason: null });
      } catch (e) {
        results.push({ id, outcome: 'refused', reason: e instanceof Error ? e.message : String(e) });
      }
    }
    return { results, flows: moved };
  }

  const commandHandlers: CommandHandlers = {
    'engine.runNow': (req) => ({ started: controls.runNow(req.flow) }),
    'engine.pause': () => {
      controls.pause();
      return { ok: true as const };
    },
    'engine.resume': () => {
      controls.resume();
      return { ok: true as const };
    },
    'engine.diagnostics.reset': () => {
      deps.diagnostics.reset();
      return { ok: true as const };
    },
    'exceptions.retry': (req) => {
      const moved = operatorMove(req.id, 'retrying', 'retry', req.actor, null);
      if (flows.has(moved.flow)) controls.runSoon(moved.flow);
      return moved;
    },
    'exceptions.dismiss': (req) => operatorMove(req.id, 'dismissed', 'dismiss', req.actor, req.reason),
    'exceptions.retryMany': (req) => {
      const outcome = bulk(req.ids, (id) => operatorMove(id, 'retrying', 'retry', req.actor, null));
      for (const flow of outcome.flows) if (flows.has(flow)) controls.runSoon(flow);
      return { results: outcome.results };
    },
    'exceptions.dismissMany': (req) => ({ results: bulk(req.ids, (id) => operatorMove(id, 'dismissed', 'dismiss', req.actor, req.reason)).results }),
    'settings.update': async (req) => {
      // A flow this engine does not have cannot be switched on or scheduled: saying yes would promise work nothing does.
      const missing = Object.keys(req.patch.flows ?? {}).filter((f) => !flows.has(f as FlowName));
      if (missing.length) {
        throw new ContractError(
          'failed',
          `This version has no ${missing.join(', ')} flow${missing.length > 1 ? 's' : ''}: ${missing.length > 1 ? 'they' : 'it'} cannot be switched on or scheduled`,
        );
      }
      // A finance console never syncs: a sync flow is not switched on there (settings.role, after this change).
      const role = req.patch.role ?? deps.settings.get().role;
      const notForRole = Object.entries(req.patch.flows ?? {})
        .filter(([f, change]) => change?.enabled === true && !roleRunsFlow(role, f as FlowName))
        .map(([f]) => f as FlowName);
      if (notForRole.length) throw new ContractError('failed', financeRoleRefusal(notForRole));
      const updated = await deps.settings.update(req.patch);
      logger.info('Settings changed', { actor: req.actor, patch: req.patch });
      controls.settingsChanged(updated);
      monitor.statusChanged();
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

  return {
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
  };
}
