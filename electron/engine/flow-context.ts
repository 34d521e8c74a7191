import type { FlowName, RunTrigger } from '../../shared/domain/flows';
import type { ExceptionRecord, RecordRef } from '../../shared/domain/exceptions';
import type { Settings } from '../../shared/domain/settings';
import type { Ledger } from './ledger';
import type { RaiseException } from './ledger/exceptions';
import { catalogueEntry, isFlowExceptionType, type JobQueueExceptionType } from '../../shared/domain/exception-catalogue';
import { isDryRunBlocked } from './net/errors';
import type { Clock, Logger } from './ports';
import type { Attempt, FlowContext, RaiseInput, RecordJob, WriteIntent, WriteResult } from './flows/flow';
import { DEFAULT_RETRY_POLICY, type JobKey } from './ledger/jobs';
import { clipText } from '../../shared/domain/text';
import { isLedgerFull } from './ledger-space';

/** What the engine hands the flow context: the ledger it writes, and whom to tell when an exception changes. */
export interface FlowContextDeps {
  ledger: Ledger;
  clock: Clock;
  logger: Logger;
  /** An exception opened, reopened or resolved: tell the consoles and, when serious, a person. */
  exceptionChanged(exception: ExceptionRecord): void;
}

/**
 * Builds the context a flow gets for one run: what it may do to the world beyond its own tables. Each capability
 * (exceptions, the outbox, …) is one function below; a new one goes here, next to them, and into FlowContext.
 */
export function flowContextFactory(deps: FlowContextDeps) {
  return function contextFor<F extends FlowName>(flow: F, runId: number, trigger: RunTrigger, settings: Settings): FlowContext<F> {
    const log = deps.logger.child({ flow, runId });
    const scope: RunScope = { ...deps, flow, log, unreachableInARow: 0 };
    return {
      flow,
      runId,
      trigger,
      clock: deps.clock,
      logger: log,
      ledger: deps.ledger,
      settings,
      dryRun: settings.dryRun,
      raise: (input) => raise(scope, toRaise(flow, input)),
      resolve: (type, record) => resolve(scope, type, record),
      write: (intent, send) => write(scope, intent, send),
      attempt: (job, work) => attempt(scope, job, work),
    };
  };
}

/** One run's view of the engine: the flow it is, and its logger. */
interface RunScope extends FlowContextDeps {
  flow: FlowName;
  log: Logger;
  /** Jobs in a row this run that could not reach SAP or the marketplace: at UNREACHABLE_IN_A_ROW the rest wait. */
  unreachableInARow: number;
}

/** A type the exception catalogue does not have: the flow is wrong, not the record, so the run fails and says so. */
export class UncataloguedExceptionError extends Error {
  constructor(flow: FlowName, type: string) {
    super(`The ${flow} flow raised '${type}', which is not one of its types in the exception catalogue (shared/domain/exception-catalogue.ts)`);
    this.name = 'UncataloguedExceptionError';
  }
}

/**
 * The exception a flow raises, as the ledger records it: its severity, category and suggested action from the
 * catalogue (a step for this record alone goes before the action). Refuses a type the flow's part does not have —
 * the type checker already does, this holds for a type built at run time too.
 */
export function toRaise<F extends FlowName>(flow: F, input: RaiseInput<F>): RaiseException {
  const type: string = input.type;
  if (!isFlowExceptionType(flow, type)) throw new UncataloguedExceptionError(flow, type);
  return fromCatalogue(flow, type, input);
}

function fromCatalogue(flow: FlowName, type: string, input: Omit<RaiseInput, 'type'>): RaiseException {
  const entry = catalogueEntry(flow, type);
  if (!entry) throw new UncataloguedExceptionError(flow, type);
  const { action, ...rest } = input;
  return {
    ...rest,
    flow,
    type,
    severity: entry.severity,
    category: entry.category,
    suggestedAction: action ? `${action} ${entry.action}` : entry.action,
  };
}

/** A summary is a sentence, the raw error the other system's words: both bounded, whatever a record carries. */
export const SUMMARY_MAX = 1_000;
export const RAW_ERROR_MAX = 8_000;

/** Text cut to `max` characters (never inside a character), saying how long it was. */
export function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = `… (${text.length} characters in all)`;
  return clipText(text, max - note.length) + note;
}

function raise(scope: RunScope, input: RaiseException): ExceptionRecord {
  const { ledger, clock, log } = scope;
  const fitted = {
    ...input,
    summary: bounded(input.summary, SUMMARY_MAX),
    rawError: input.rawError == null ? input.rawError : bounded(input.rawError, RAW_ERROR_MAX),
  };
  const { exception, reopened, quiet } = ledger.exceptions.raise(fitted, new Date(clock.now()));
  const fields = { exceptionId: exception.id, type: exception.type, record: exception.record, occurrences: exception.occurrences };
  if (quiet) {
    log.debug('Dismissed exception seen again; its record has not changed', fields);
    return exception;
  }
  log.warn(reopened ? 'Dismissed exception reopened: its record changed' : 'Exception raised', fields);
  scope.exceptionChanged(exception);
  return exception;
}

function resolve(scope: RunScope, type: string, record: RecordRef): void {
  const resolved = scope.ledger.exceptions.resolveFor(scope.flow, type, record, new Date(scope.clock.now()));
  if (resolved) scope.exceptionChanged(resolved);
}

/** The outbox: record the intent, send, record the outcome. An unanswered send leaves the intent open for a lookup. */
async function write<T>(scope: RunScope, intent: WriteIntent, send: () => Promise<{ result: T; externalRef?: string | null }>): Promise<WriteResult<T>> {
  const { ledger, clock, log } = scope;
  const recorded = ledger.intents.record({ flow: scope.flow, ...intent }, new Date(clock.now()));
  let sent: { result: T; externalRef?: string | null };
  try {
    sent = await send();
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
  // It landed. Should the ledger fail to record that (its disk full), the error goes up and the intent stays open, so
  // the record is looked up before anything is sent again; never closed as failed, which would send it twice.
  ledger.intents.close(recorded.id, 'succeeded', new Date(clock.now()), { externalRef: sent.externalRef ?? null });
  return { sent: true, result: sent.result };
}

/**
 * Two jobs in a row that could not reach the other system mean an outage: the rest of the run waits. Not one: an
 * answer that looks like an outage but is about one record (a timeout on one large document) must not keep the
 * records after it from ever being tried.
 */
const UNREACHABLE_IN_A_ROW = 2;

/** The exception a job the engine gave up on raises; Retry on it replays the job. */
export const GAVE_UP: JobQueueExceptionType = 'gave-up';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** The other system's own words where the error carries them (SAP's message, the marketplace's body). */
const rawErrorOf = (e: unknown): string => {
  const { sapMessage, rawBody } = (e ?? {}) as { sapMessage?: unknown; rawBody?: unknown };
  return typeof sapMessage === 'string' ? sapMessage : typeof rawBody === 'string' && rawBody.trim() ? rawBody : errorText(e);
};
const isUnreachable = (e: unknown) => (e as { unreachable?: unknown } | null)?.unreachable === true;
const minutes = (ms: number) => (ms < 60 * 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / (60 * 60_000))} h`);

/** The job queue (decision 0005): one record's work, its technical failures counted, backed off and finally given up. */
async function attempt<T>(scope: RunScope, job: RecordJob, work: () => Promise<T>): Promise<Attempt<T>> {
  const { ledger, clock, log } = scope;
  const key: JobKey = { flow: scope.flow, kind: job.kind, record: job.record };
  const policy = { ...DEFAULT_RETRY_POLICY, ...job.policy };
  const now = () => new Date(clock.now());
  const existing = ledger.jobs.get(key);
  if (existing) {
    const replayed = ledger.exceptions
      .live(scope.flow, GAVE_UP)
      .some((e) => e.state === 'retrying' && e.record.type === job.record.type && e.record.key === job.record.key);
    if (existing.state === 'gave-up' && !replayed && !job.personWaiting) return { ran: false, why: 'gave-up' };
    if (existing.state === 'gave-up') {
      ledger.jobs.replay(key, now());
      ledger.timeline.add(job.record, 'operator', `Replayed: the engine tries to ${job.what} again, with ${policy.limit} attempts`, now());
    } else if (!job.personWaiting && Date.parse(existing.nextAttemptAt) > clock.now()) return { ran: false, why: 'backing-off', until: existing.nextAttemptAt };
  }
  if (scope.unreachableInARow >= UNREACHABLE_IN_A_ROW) return { ran: false, why: 'unreachable' };
  try {
    const result = await work();
    scope.unreachableInARow = 0;
    if (existing) {
      ledger.jobs.succeeded(key);
      resolve(scope, GAVE_UP, job.record);
    }
    return { ran: true, ok: true, result };
  } catch (error) {
    // The ledger's own disk, not the record: nothing is counted against it (the engine stops until there is room).
    if (isLedgerFull(error)) throw error;
    if (isUnreachable(error)) {
      // The connection, not the record: nothing is counted. Once two records in a row found it so, the rest of the
      // run's jobs wait for the next run; one record alone never holds up those after it.
      scope.unreachableInARow++;
      log.warn('Job not counted: the other system could not be reached', { kind: job.kind, record: job.record, error: errorText(error) });
      return { ran: true, ok: false, error, gaveUp: false };
    }
    scope.unreachableInARow = 0;
    const failed = ledger.jobs.failed(key, errorText(error), now(), policy);
    const gaveUp = failed.state === 'gave-up';
    log.warn(gaveUp ? 'Job gave up' : 'Job failed; retried after a backoff', {
      kind: job.kind,
      record: job.record,
      attempts: failed.attempts,
      error: errorText(error),
    });
    if (gaveUp) {
      const over = minutes(Date.parse(failed.lastFailedAt) - Date.parse(failed.firstFailedAt));
      raise(
        scope,
        fromCatalogue(scope.flow, GAVE_UP, {
          record: job.record,
          summary: `Gave up after ${failed.attempts} attempts over ${over} to ${job.what}: ${errorText(error)}`,
          rawError: rawErrorOf(error),
          action: `The engine tried ${failed.attempts} times, waiting longer each time, and stopped; Retry gives it a fresh ${policy.limit} attempts.`,
        }),
      );
      ledger.timeline.add(job.record, 'exception', `Gave up after ${failed.attempts} attempts to ${job.what}: ${errorText(error)}`, now());
    } else {
      ledger.timeline.add(
        job.record,
        'engine',
        `Attempt ${failed.attempts} of ${policy.limit} to ${job.what} failed (${errorText(error)}); tried again after ${failed.nextAttemptAt}`,
        now(),
      );
    }
    return { ran: true, ok: false, error, gaveUp };
  }
}
