import type { Clock, Logger } from '../ports';
import type { Ledger } from '../ledger';
import type { RetryPolicy } from '../ledger/jobs';
import type { FlowName, RunCounts, RunTrigger } from '../../../shared/domain/flows';
import type { ExceptionRecord, RecordRef } from '../../../shared/domain/exceptions';
import type { ExceptionTypeOf } from '../../../shared/domain/exception-catalogue';
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

/** One piece of work on one record, run through the job queue. */
export interface RecordJob {
  /** What the work is, e.g. 'post-sales-order'; with the flow and the record, the job's identity. */
  kind: string;
  record: RecordRef;
  /** What it does, in words, for the exception when the engine gives up: "post the Sales Order for 1234-A". */
  what: string;
  policy?: Partial<RetryPolicy>;
  /** A person is waiting on this record (a correction): tried now, whatever its backoff or a give-up said. */
  personWaiting?: boolean;
}

/**
 * What came of an attempt. Not run: the job waits out its backoff, was given up on (until a person replays it), or
 * the jobs just before it in this run found the other system unreachable. Run and failed: the error is technical (the
 * work handles business refusals itself); `gaveUp` when this was the last attempt.
 */
export type Attempt<T> =
  | { ran: true; ok: true; result: T }
  | { ran: true; ok: false; error: unknown; gaveUp: boolean }
  | { ran: false; why: 'backing-off' | 'gave-up' | 'unreachable'; until?: string };

/**
 * A problem on one record, as a flow raises it: a type from the flow's own part of the exception catalogue
 * (shared/domain/exception-catalogue.ts), which brings its severity, category and suggested action.
 */
export interface RaiseInput<F extends FlowName = FlowName> {
  type: ExceptionTypeOf<F>;
  record: RecordRef;
  /** One sentence a person understands: what failed on this record and why it matters. */
  summary: string;
  /** The other system's error, verbatim. */
  rawError?: string | null;
  /** A step for this record alone, put before the catalogue's suggested action. */
  action?: string;
  deadlineAt?: Date | null;
  /** A fingerprint of the record as it is now: a dismissed exception reopens only when it changes. */
  recordVersion?: string | null;
}

/** What a flow gets for one run; `F` is the flow, whose catalogued exception types alone it may raise. */
export interface FlowContext<F extends FlowName = FlowName> {
  flow: F;
  runId: number;
  trigger: RunTrigger;
  clock: Clock;
  logger: Logger;
  ledger: Ledger;
  settings: Settings;
  dryRun: boolean;
  /** Records a problem on a record (or counts another occurrence), tells the console, and alerts when it is serious. */
  raise(input: RaiseInput<F>): ExceptionRecord;
  /** The problem is gone: the record went through. */
  resolve(type: string, record: RecordRef): void;
  /**
   * Sends a write through the outbox: the intent is recorded, then sent, then its outcome recorded.
   * Under dry run nothing is sent and the intent is kept as what would have been sent.
   */
  write<T>(intent: WriteIntent, send: () => Promise<{ result: T; externalRef?: string | null }>): Promise<WriteResult<T>>;
  /**
   * The job queue: runs one record's work in isolation. A technical failure (whatever the work throws) is counted
   * against the record and retried after a backoff, up to a limit; then a technical 'gave-up' exception with the last
   * error waits for a person's replay (Retry). A failure to reach SAP or the marketplace is not the record's fault: it
   * is never counted; after two such jobs in a row the rest of this run's jobs are not tried.
   */
  attempt<T>(job: RecordJob, work: () => Promise<T>): Promise<Attempt<T>>;
}

/** A flow is a small state machine run on a cadence: it reads connectors, moves ledger rows forward and raises exceptions. */
export interface Flow<F extends FlowName = FlowName> {
  readonly name: F;
  /** Returns what it counted (read, sent, rejected…); throws when the run as a whole failed. */
  run(ctx: FlowContext<F>): Promise<RunCounts>;
  /** The flow's own contract queries and commands (its console screen, its mappings); the engine routes them here. */
  queries?: QueryHandlers;
  commands?: CommandHandlers;
}
