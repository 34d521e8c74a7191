import type { FlowName, RunTrigger } from '../../shared/domain/flows';
import type { ExceptionRecord, RecordRef } from '../../shared/domain/exceptions';
import type { Settings } from '../../shared/domain/settings';
import type { Ledger } from './ledger';
import type { RaiseException } from './ledger/exceptions';
import { isDryRunBlocked } from './net/errors';
import type { Clock, Logger } from './ports';
import type { FlowContext, WriteIntent, WriteResult } from './flows/flow';

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
  return function contextFor(flow: FlowName, runId: number, trigger: RunTrigger, settings: Settings): FlowContext {
    const log = deps.logger.child({ flow, runId });
    const scope: RunScope = { ...deps, flow, log };
    return {
      flow,
      runId,
      trigger,
      clock: deps.clock,
      logger: log,
      ledger: deps.ledger,
      settings,
      dryRun: settings.dryRun,
      raise: (input) => raise(scope, input),
      resolve: (type, record) => resolve(scope, type, record),
      write: (intent, send) => write(scope, intent, send),
    };
  };
}

/** One run's view of the engine: the flow it is, and its logger. */
interface RunScope extends FlowContextDeps {
  flow: FlowName;
  log: Logger;
}

function raise(scope: RunScope, input: Omit<RaiseException, 'flow'>): ExceptionRecord {
  const { ledger, clock, log } = scope;
  const { exception, reopened, quiet } = ledger.exceptions.raise({ ...input, flow: scope.flow }, new Date(clock.now()));
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
}
