import {
  CONTRACT_VERSION,
  commands,
  events,
  parseCommand,
  parseQuery,
  queries,
  type CommandName,
  type CommandRequest,
  type CommandResponse,
  type ConsoleApi,
  type EventName,
  type EventPayload,
  type QueryName,
  type QueryRequest,
  type QueryResponse,
} from '../../shared/contract';
import type { ExceptionAction, ExceptionRecord } from '../../shared/domain/exceptions';
import type { HealthHistory } from '../../shared/contract/health';
import type { SearchHit } from '../../shared/contract/search';
import type { EngineDiagnostics } from '../../shared/domain/diagnostics';
import type { LedgerBackupStatus } from '../../shared/domain/ledger-backup';
import { FLOW_NAMES, type EngineStatus, type Run } from '../../shared/domain/flows';
import type { Settings } from '../../shared/domain/settings';
import { FakeConnections } from './fake-connections';
import { FakeStock } from './fake-stock';
import { FakeOrders } from './fake-orders';
import { FakeDespatch } from './fake-despatch';
import { FakeFinance } from './fake-finance';
import { FakeSettlement } from './fake-settlement';
import { makeSettings, makeStatus } from './fixtures';

type ParseResult = { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };

export interface RecordedCall {
  kind: 'query' | 'command';
  name: string;
  request: unknown;
}

/** The returns and invoicing flows' messages. */
const isFinance = (name: string) => /^(returns|refunds|invoicing)\./.test(name);

/** A reply or event the fake engine was about to give that the contract does not allow. */
export class FakeDriftError extends Error {
  override name = 'FakeDriftError';
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(payload)'}: ${i.message}`).join('; ');
}

/**
 * An engine in memory that speaks the contract both ways: it parses every request with the contract's request
 * schemas (a console sending a bad payload fails here as it would against the engine), and every reply and event
 * with the contract's response and event schemas (a fake answering a shape the engine could not send fails the
 * test that used it: see `drift`). It records what it was sent, and lets a test emit events.
 */
export class FakeApi implements ConsoleApi {
  readonly contractVersion = CONTRACT_VERSION;
  readonly calls: RecordedCall[] = [];
  /** Replies and events this fake gave that the contract does not allow; render-console fails the test on any. */
  readonly drift: string[] = [];
  /** The engine process measuring itself. */
  diagnostics: EngineDiagnostics = {
    measuredAt: new Date().toISOString(),
    since: new Date(Date.now() - 3_600_000).toISOString(),
    memory: { rssMb: 151.2, peakRssMb: 248.2, peakRssLastHourMb: 200, heapUsedMb: 40 },
    eventLoop: { maxBlockMs: 102.8, maxBlockLastHourMs: 50, maxWorkMs: 69.1, resolutionMs: 10 },
    sinceReset: { at: new Date().toISOString(), maxBlockMs: 10, maxWorkMs: 5, peakRssMb: 151.2 },
  };
  /** The ledger's daily backups: one taken and checked this morning unless a test says otherwise. */
  ledgerBackup: LedgerBackupStatus = {
    enabled: true,
    folder: 'C:\\Users\\office\\AppData\\Roaming\\Marketplace Console\\backups',
    keepDays: 7,
    last: {
      at: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      file: 'C:\\Users\\office\\AppData\\Roaming\\Marketplace Console\\backups\\ledger-20261130-021000.db',
      bytes: 50_331_648,
      ms: 2_140,
    },
    failure: null,
    nextCheckAt: new Date(Date.now() + 1_800_000).toISOString(),
    backups: [],
  };
  /** What the header's search finds (filtered by the text typed). */
  searchHits: SearchHit[] = [];
  /** The Overview's day: nothing happened yet unless a test says otherwise. */
  history: HealthHistory = {
    from: new Date(Date.now() - 86_400_000).toISOString(),
    until: new Date().toISOString(),
    windowMinutes: 15,
    systems: [],
    flows: [],
    budget: [],
    due: [],
  };
  status: EngineStatus = makeStatus();
  runs: Run[] = [];
  exceptions: ExceptionRecord[] = [];
  actions: ExceptionAction[] = [];
  settings: Settings = makeSettings();
  /** Set to make the next settings.update fail the way the engine's validation would. */
  rejectSettingsWith: string | null = null;
  /** Query → the error the engine answers it with (it is down, or refuses), until the test clears it. */
  failQueries: Partial<Record<QueryName, string>> = {};
  /** Queries whose answers wait until the test releases them (an engine busy with a big stock cycle). */
  private held = new Map<QueryName, Promise<void>>();
  /** The Connections screen's messages, answered in their own file. */
  readonly connections = new FakeConnections();
  /** The Stock screen's queries, answered in their own file. */
  readonly stock = new FakeStock();
  /** The Orders screen's messages, answered in their own file. */
  readonly orders = new FakeOrders();
  /** The Despatch screen's messages, answered in their own file. */
  readonly despatch = new FakeDespatch();
  /** The Returns and Invoicing screens' messages, answered in their own file. */
  readonly finance = new FakeFinance();
  /** The Payouts screen's messages, answered in their own file. */
  readonly settlement = new FakeSettlement();
  private listeners = new Map<EventName, Set<(payload: never) => void>>();

  commandsNamed(name: CommandName): unknown[] {
    return this.calls.filter((c) => c.kind === 'command' && c.name === name).map((c) => c.request);
  }

  queriesNamed(name: QueryName): Record<string, unknown>[] {
    return this.calls.filter((c) => c.kind === 'query' && c.name === name).map((c) => c.request as Record<string, unknown>);
  }

  /** Sends an event as the engine would: parsed with the contract first, so a test cannot send one the engine never could. */
  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) this.drifted(`event ${name}: ${describeIssues(parsed.error.issues)}`);
    for (const listener of this.listeners.get(name) ?? []) (listener as (p: EventPayload<N>) => void)(parsed.data as EventPayload<N>);
  }

  /** An exception the engine raised or changed: recorded here, then announced, as the engine does. */
  changeException(record: ExceptionRecord): void {
    const index = this.exceptions.findIndex((e) => e.id === record.id);
    if (index >= 0) this.exceptions[index] = record;
    else this.exceptions.unshift(record);
    this.emit('exception.changed', record);
  }

  /** Holds every answer to this query until the returned function is called. */
  hold(name: QueryName): () => void {
    let release = () => undefined as void;
    this.held.set(name, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(name);
      release();
    };
  }

  /** A run the engine finished: recorded in its ledger, then announced. */
  finishRun(run: Run): void {
    this.runs = [run, ...this.runs.filter((r) => r.id !== run.id)];
    this.emit('run.finished', run);
  }

  /** A queued despatch command's outcome: the despatch as the ledger now holds it, then the event. */
  despatchChanged(event: EventPayload<'despatch.changed'>): void {
    this.despatch.despatches = this.despatch.despatches.map((d) => (d.orderId === event.orderId ? event.despatch : d));
    this.emit('despatch.changed', event);
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  async query<N extends QueryName>(name: N, request: QueryRequest<N>): Promise<QueryResponse<N>> {
    this.calls.push({ kind: 'query', name, request });
    const parsed = parseQuery(name, request);
    await this.held.get(name);
    const failure = this.failQueries[name];
    if (failure) throw new Error(failure);
    const answer = structuredClone(this.answerQuery(parsed.name, parsed.request as Record<string, unknown>));
    return this.reply('query', name, queries[name].response, answer) as QueryResponse<N>;
  }

  async command<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResponse<N>> {
    this.calls.push({ kind: 'command', name, request });
    const parsed = parseCommand(name, request);
    const answer = structuredClone(this.answerCommand(parsed.name, parsed.request as Record<string, unknown>));
    return this.reply('command', name, commands[name].response, answer) as CommandResponse<N>;
  }

  /** What the console receives, as the WebSocket client or the preload would hand it over: parsed with the contract. */
  private reply(kind: 'query' | 'command', name: string, schema: { safeParse(v: unknown): ParseResult }, answer: unknown): unknown {
    const parsed = schema.safeParse(answer);
    if (!parsed.success) this.drifted(`${kind} ${name} answered ${describeIssues(parsed.error.issues)}`);
    return parsed.data;
  }

  private drifted(what: string): never {
    const message = `The fake engine gave what the contract does not allow: ${what}`;
    this.drift.push(message);
    throw new FakeDriftError(message);
  }

  private answerQuery(name: QueryName, r: Record<string, unknown>): unknown {
    if (name.startsWith('stock.')) return this.stock.answer(name, r);
    if (name.startsWith('orders.')) return this.orders.answer(name, r);
    if (name.startsWith('despatch.')) return this.despatch.answer(name, r);
    if (name.startsWith('connections.')) return this.connections.answer(name, r);
    if (isFinance(name)) return this.finance.answer(name, r);
    if (name.startsWith('payouts.')) return this.settlement.answer(name, r);
    switch (name) {
      case 'status.get':
        return this.status;
      case 'runs.list': {
        const offset = (r.offset as number | undefined) ?? 0;
        return this.runs
          .filter(
            (run) =>
              (!r.flow || run.flow === r.flow) &&
              (!r.outcome || run.outcome === r.outcome) &&
              !((r.exceptFlows as string[] | undefined) ?? []).includes(run.flow),
          )
          .slice(offset, offset + (r.limit as number));
      }
      case 'exceptions.list': {
        const rows = this.exceptionsMatching(r).filter((e) => !r.type || e.type === r.type);
        const offset = r.offset as number;
        return { rows: rows.slice(offset, offset + (r.limit as number)), total: rows.length };
      }
      case 'exceptions.groups': {
        const counts = new Map<string, { type: string; flow: string; count: number }>();
        for (const e of this.exceptionsMatching(r)) {
          const key = `${e.type}|${e.flow}`;
          const group = counts.get(key) ?? { type: e.type, flow: e.flow, count: 0 };
          group.count++;
          counts.set(key, group);
        }
        return [...counts.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
      }
      case 'exceptions.get': {
        const exception = this.exceptions.find((e) => e.id === r.id);
        if (!exception) throw new Error(`No exception ${String(r.id)}`);
        return { exception, actions: this.actions.filter((a) => a.exceptionId === r.id) };
      }
      case 'health.history':
        return this.history;
      case 'engine.diagnostics':
        return this.diagnostics;
      case 'ledger.backup':
        return this.ledgerBackup;
      case 'search.records':
        return this.searchHits.filter((h) => h.key.includes(r.text as string) || h.matched.includes(r.text as string));
      case 'settings.get':
        return this.settings;
    }
  }

  /** The exceptions the Exceptions screen's filters (all but the type) let through. */
  private exceptionsMatching(r: Record<string, unknown>): ExceptionRecord[] {
    const search = ((r.search as string | undefined) ?? '').toLowerCase();
    return this.exceptions.filter(
      (e) =>
        (!r.state || e.state === r.state) &&
        (!r.flow || e.flow === r.flow) &&
        (!r.category || e.category === r.category) &&
        (!r.severity || e.severity === r.severity) &&
        (!search || e.record.key.toLowerCase().includes(search) || e.summary.toLowerCase().includes(search)),
    );
  }

  private answerCommand(name: CommandName, r: Record<string, unknown>): unknown {
    if (name.startsWith('connections.')) return this.connections.answer(name, r);
    if (name.startsWith('orders.')) return this.orders.answer(name, r);
    if (name.startsWith('despatch.')) return this.despatch.answer(name, r);
    if (isFinance(name)) return this.finance.answer(name, r);
    if (name.startsWith('payouts.')) return this.settlement.answer(name, r);
    switch (name) {
      case 'engine.runNow': {
        const flows = r.flow ? [r.flow] : FLOW_NAMES.filter((f) => this.status.flows.find((s) => s.flow === f)?.enabled);
        return { started: flows };
      }
      case 'engine.pause':
      case 'engine.resume':
        return { ok: true };
      case 'exceptions.retry':
        return this.move(r.id as number, 'retrying', 'retry', r.actor as string, null);
      case 'exceptions.dismiss':
        return this.move(r.id as number, 'dismissed', 'dismiss', r.actor as string, r.reason as string);
      case 'exceptions.retryMany':
      case 'exceptions.dismissMany':
        return {
          results: (r.ids as number[]).map((id) => {
            try {
              if (name === 'exceptions.retryMany') this.move(id, 'retrying', 'retry', r.actor as string, null);
              else this.move(id, 'dismissed', 'dismiss', r.actor as string, r.reason as string);
              return { id, outcome: 'done', reason: null };
            } catch (e) {
              return { id, outcome: 'refused', reason: e instanceof Error ? e.message : String(e) };
            }
          }),
        };
      case 'settings.update': {
        if (this.rejectSettingsWith) throw new Error(this.rejectSettingsWith);
        const patch = r.patch as {
          dryRun?: boolean;
          flows?: Record<string, object>;
          stock?: Partial<Settings['stock']>;
          orders?: Partial<Settings['orders']>;
          despatch?: Partial<Settings['despatch']>;
          returns?: Partial<Settings['returns']>;
          invoicing?: Partial<Settings['invoicing']>;
          settlement?: Partial<Settings['settlement']>;
          role?: Settings['role'];
          desktop?: Partial<Settings['desktop']>;
        };
        const flows = { ...this.settings.flows };
        for (const [f, change] of Object.entries(patch.flows ?? {})) flows[f as keyof typeof flows] = { ...flows[f as keyof typeof flows], ...change };
        this.settings = {
          ...this.settings,
          ...(patch.dryRun === undefined ? {} : { dryRun: patch.dryRun }),
          flows,
          stock: { ...this.settings.stock, ...patch.stock },
          orders: { ...this.settings.orders, ...patch.orders },
          despatch: { ...this.settings.despatch, ...patch.despatch },
          returns: { ...this.settings.returns, ...patch.returns },
          invoicing: { ...this.settings.invoicing, ...patch.invoicing },
          settlement: { ...this.settings.settlement, ...patch.settlement },
          ...(patch.role === undefined ? {} : { role: patch.role }),
          desktop: { ...this.settings.desktop, ...patch.desktop },
        };
        return this.settings;
      }
    }
  }

  private move(id: number, state: ExceptionRecord['state'], action: ExceptionAction['action'], actor: string, reason: string | null): ExceptionRecord {
    const index = this.exceptions.findIndex((e) => e.id === id);
    const before = this.exceptions[index];
    if (!before) throw new Error(`No exception ${id}`);
    if (before.state === 'resolved' || before.state === 'dismissed') throw new Error(`Exception ${id} is already ${before.state}`);
    const after = { ...before, state };
    this.exceptions[index] = after;
    // As the engine does after an operator's action: the exception, then the status it counts in.
    queueMicrotask(() => {
      this.emit('exception.changed', after);
      this.status = { ...this.status, openExceptions: this.exceptions.filter((e) => e.state === 'open').length, revision: this.status.revision + 1 };
      this.emit('status.changed', this.status);
    });
    this.actions.push({
      id: this.actions.length + 1,
      exceptionId: id,
      action,
      actor,
      reason,
      before: before.state,
      after: state,
      at: new Date().toISOString(),
    });
    return after;
  }
}
