import type { Db } from './db';
import type { FlowName } from '../../../shared/domain/flows';
import type { RecordRef } from '../../../shared/domain/exceptions';

/** One piece of work on one record: posting order X's Sales Order, confirming order X's despatch. */
export interface JobKey {
  flow: FlowName;
  /** What the work is, e.g. 'post-sales-order'. With the flow and the record, the job's identity. */
  kind: string;
  record: RecordRef;
}

export interface Job extends JobKey {
  /** Retrying: the next attempt waits for `nextAttemptAt`. Gave up: nothing more until a person replays it. */
  state: 'retrying' | 'gave-up';
  attempts: number;
  nextAttemptAt: string;
  lastError: string;
  firstFailedAt: string;
  lastFailedAt: string;
}

export interface RetryPolicy {
  /** Failed attempts before the engine gives up and asks a person. */
  limit: number;
  /** The wait after the first failure; each further failure doubles it, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** 1, 2, 4 … 32 minutes, then an hour: eight attempts over about two hours before a person is asked. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { limit: 8, firstDelayMs: 60_000, maxDelayMs: 60 * 60_000 };

/** The wait after the n-th failed attempt (n from 1). */
export const backoffMs = (policy: RetryPolicy, attempts: number): number =>
  Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));

interface Row {
  flow: FlowName;
  kind: string;
  record_type: string;
  record_key: string;
  state: Job['state'];
  attempts: number;
  next_attempt_at: string;
  last_error: string;
  first_failed_at: string;
  last_failed_at: string;
}

const toJob = (r: Row): Job => ({
  flow: r.flow,
  kind: r.kind,
  record: { type: r.record_type, key: r.record_key },
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  firstFailedAt: r.first_failed_at,
  lastFailedAt: r.last_failed_at,
});

const MAX_ERROR_CHARS = 2_000;

/**
 * The job queue's memory: a row only for work that failed for a technical reason and has not gone through since,
 * so the table holds the records in trouble, never the whole history. Business refusals are not here: they are
 * exceptions that wait for a person.
 */
export class JobsRepository {
  constructor(private readonly db: Db) {}

  get(key: JobKey): Job | null {
    const row = this.db
      .prepare('SELECT * FROM jobs WHERE flow = ? AND kind = ? AND record_type = ? AND record_key = ?')
      .get(key.flow, key.kind, key.record.type, key.record.key) as Row | undefined;
    return row ? toJob(row) : null;
  }

  /** Counts a failed attempt: the next one waits its backoff, or, at the limit, the job gives up. */
  failed(key: JobKey, error: string, at: Date, policy: RetryPolicy): Job {
    return this.db.transaction(() => {
      const attempts = (this.get(key)?.attempts ?? 0) + 1;
      const state = attempts >= policy.limit ? 'gave-up' : 'retrying';
      const next = new Date(at.getTime() + backoffMs(policy, attempts)).toISOString();
      const row = this.db
        .prepare(
          `INSERT INTO jobs (flow, kind, record_type, record_key, state, attempts, next_attempt_at, last_error, first_failed_at, last_failed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (flow, kind, record_type, record_key) DO UPDATE SET state = excluded.state, attempts = excluded.attempts,
             next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error, last_failed_at = excluded.last_failed_at
           RETURNING *`,
        )
        .get(
          key.flow,
          key.kind,
          key.record.type,
          key.record.key,
          state,
          attempts,
          next,
          error.slice(0, MAX_ERROR_CHARS),
          at.toISOString(),
          at.toISOString(),
        ) as Row;
      return toJob(row);
    })();
  }

  /** The work went through: the job is forgotten. True when there was one. */
  succeeded(key: JobKey): boolean {
    return (
      this.db
        .prepare('DELETE FROM jobs WHERE flow = ? AND kind = ? AND record_type = ? AND record_key = ?')
        .run(key.flow, key.kind, key.record.type, key.record.key).changes > 0
    );
  }

  /** A person replays a job the engine gave up on: a fresh set of attempts, the first one now. */
  replay(key: JobKey, at: Date): void {
    this.db
      .prepare("UPDATE jobs SET state = 'retrying', attempts = 0, next_attempt_at = ? WHERE flow = ? AND kind = ? AND record_type = ? AND record_key = ?")
      .run(at.toISOString(), key.flow, key.kind, key.record.type, key.record.key);
  }

  /** The jobs of a flow in trouble, the soonest next attempt first. */
  list(flow: FlowName, limit = 500): Job[] {
    return (this.db.prepare("SELECT * FROM jobs WHERE flow = ? ORDER BY state = 'gave-up', next_attempt_at LIMIT ?").all(flow, limit) as Row[]).map(toJob);
  }
}
