import type { Clock, Logger } from '../ports';
import type { Ledger } from '../ledger';
import type { RaiseException } from '../ledger/exceptions';
import type { FlowName, RunCounts, RunTrigger } from '../../../shared/domain/flows';
import type { ExceptionRecord, RecordRef } from '../../../shared/domain/exceptions';
import type { Settings } from '../../../shared/domain/settings';
import type { CommandName, CommandResponse, ParsedCommandRequest, ParsedQueryRequest, QueryName, QueryResponse } from '../../../shared/contract';

/** Contract queries a module answers (the engine's own, or a flow's for its screen). */
export type QueryHandlers = { [N in QueryName]?: (request: ParsedQueryRequest<N>) => QueryResponse<N> | Promise<QueryResponse<N>> };
/** Contract commands a module carries out. */
export type CommandHandlers = { [N in CommandName]?: (request: ParsedCommandRequest<N>) => CommandResponse<N> | Promise<CommandResponse<N>> };

/** One external write, recorded in the outbox before it is sent. */
export interface WriteIntent {
  system: string;
  operation: string;
  recordKey: string;
  payload: unknown;
}

export type WriteResult<T> = { sent: true; result: T } | { sent: false; dryRun: true };

/** What a flow gets for one run. */
export interface FlowContext {
  flow: FlowName;
  runId: number;
  trigger: RunTrigger;
  clock: Clock;
  logger: Logger;
  ledger: Ledger;
  settings: Settings;
  dryRun: boolean;
  /** Records a problem on a record (or counts another occurrence), tells the console, and alerts when it is serious. */
  raise(input: Omit<RaiseException, 'flow'>): ExceptionRecord;
  /** The problem is gone: the record went through. */
  resolve(type: string, record: RecordRef): void;
  /**
   * Sends a write through the outbox: the intent is recorded, then sent, then its outcome recorded.
   * Under dry run nothing is sent and the intent is kept as what would have been sent.
   */
  write<T>(intent: WriteIntent, send: () => Promise<{ result: T; externalRef?: string | null }>): Promise<WriteResult<T>>;
}

/** A flow is a small state machine run on a cadence: it reads connectors, moves ledger rows forward and raises exceptions. */
export interface Flow {
  readonly name: FlowName;
  /** Returns what it counted (read, sent, rejected…); throws when the run as a whole failed. */
  run(ctx: FlowContext): Promise<RunCounts>;
  /** The flow's own contract queries and commands (its console screen, its mappings); the engine routes them here. */
  queries?: QueryHandlers;
  commands?: CommandHandlers;
}
