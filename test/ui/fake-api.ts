import {
  CONTRACT_VERSION,
  parseCommand,
  parseQuery,
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
import { FLOW_NAMES, type EngineStatus, type Run } from '../../shared/domain/flows';
import type { Settings } from '../../shared/domain/settings';
import { FakeConnections } from './fake-connections';
import { FakeStock } from './fake-stock';
import { FakeOrders } from './fake-orders';
import { FakeDespatch } from './fake-despatch';
import { makeSettings, makeStatus } from './fixtures';

export interface RecordedCall {
  kind: 'query' | 'command';
  name: string;
  request: unknown;
}

/**
 * An engine in memory that speaks the contract: it parses every request with the contract's schemas
 * (so a console sending a bad payload fails here as it would against the engine), records what it
 * was sent, and lets a test emit events.
 */
export class FakeApi implements ConsoleApi {
  readonly contractVersion = CONTRACT_VERSION;
  readonly calls: RecordedCall[] = [];
  status: EngineStatus = makeStatus();
  runs: Run[] = [];
  exceptions: ExceptionRecord[] = [];
  actions: ExceptionAction[] = [];
  settings: Settings = makeSettings();
  /** Set to make the next settings.update fail the way the engine's validation would. */
  rejectSettingsWith: string | null = null;
  /** The Connections screen's messages, answered in their own file. */
  readonly connections = new FakeConnections();
  /** The Stock screen's queries, answered in their own file. */
  readonly stock = new FakeStock();
  /** The Orders screen's messages, answered in their own file. */
  readonly orders = new FakeOrders();
  /** The Despatch screen's messages, answered in their own file. */
  readonly despatch = new FakeDespatch();
  private listeners = new Map<EventName, Set<(payload: never) => void>>();

  commandsNamed(name: CommandName): unknown[] {
    return this.calls.filter((c) => c.kind === 'command' && c.name === name).map((c) => c.request);
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    for (const listener of this.listeners.get(name) ?? []) (listener as (p: EventPayload<N>) => void)(payload);
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
    return structuredClone(this.answerQuery(parsed.name, parsed.request as Record<string, unknown>)) as QueryResponse<N>;
  }

  async command<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResponse<N>> {
    this.calls.push({ kind: 'command', name, request });
    const parsed = parseCommand(name, request);
    return structuredClone(this.answerCommand(parsed.name, parsed.request as Record<string, unknown>)) as CommandResponse<N>;
  }

  private answerQuery(name: QueryName, r: Record<string, unknown>): unknown {
    if (name.startsWith('stock.')) return this.stock.answer(name, r);
    if (name.startsWith('orders.')) return this.orders.answer(name, r);
    if (name.startsWith('despatch.')) return this.despatch.answer(name, r);
    if (name.startsWith('connections.')) return this.connections.answer(name, r);
    switch (name) {
      case 'status.get':
        return this.status;
      case 'runs.list':
        return this.runs.filter((run) => !r.flow || run.flow === r.flow).slice(0, r.limit as number);
      case 'exceptions.list': {
        const search = ((r.search as string | undefined) ?? '').toLowerCase();
        const rows = this.exceptions.filter(
          (e) =>
            (!r.state || e.state === r.state) &&
            (!r.flow || e.flow === r.flow) &&
            (!search || e.record.key.toLowerCase().includes(search) || e.summary.toLowerCase().includes(search)),
        );
        const offset = r.offset as number;
        return { rows: rows.slice(offset, offset + (r.limit as number)), total: rows.length };
      }
      case 'exceptions.get': {
        const exception = this.exceptions.find((e) => e.id === r.id);
        if (!exception) throw new Error(`No exception ${String(r.id)}`);
        return { exception, actions: this.actions.filter((a) => a.exceptionId === r.id) };
      }
      case 'settings.get':
        return this.settings;
    }
  }

  private answerCommand(name: CommandName, r: Record<string, unknown>): unknown {
    if (name.startsWith('connections.')) return this.connections.answer(name, r);
    if (name.startsWith('orders.')) return this.orders.answer(name, r);
    if (name.startsWith('despatch.')) return this.despatch.answer(name, r);
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
      case 'settings.update': {
        if (this.rejectSettingsWith) throw new Error(this.rejectSettingsWith);
        const patch = r.patch as {
          dryRun?: boolean;
          flows?: Record<string, object>;
          stock?: Partial<Settings['stock']>;
          orders?: Partial<Settings['orders']>;
          despatch?: Partial<Settings['despatch']>;
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
        };
        return this.settings;
      }
    }
  }

  private move(id: number, state: ExceptionRecord['state'], action: ExceptionAction['action'], actor: string, reason: string | null): ExceptionRecord {
    const index = this.exceptions.findIndex((e) => e.id === id);
    const before = this.exceptions[index];
    if (!before) throw new Error(`No exception ${id}`);
    const after = { ...before, state };
    this.exceptions[index] = after;
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
