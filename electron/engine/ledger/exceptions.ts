import type { Db } from './db';
import type { FlowName } from '../../../shared/domain/flows';
import type {
  ExceptionAction,
  ExceptionActionKind,
  ExceptionDetail,
  ExceptionRecord,
  ExceptionState,
  RecordRef,
  Severity,
} from '../../../shared/domain/exceptions';

export interface RaiseException {
  flow: FlowName;
  type: string;
  severity: Severity;
  record: RecordRef;
  summary: string;
  rawError?: string | null;
  suggestedAction: string;
  deadlineAt?: Date | null;
}

interface ExceptionRow {
  id: number;
  flow: FlowName;
  type: string;
  severity: Severity;
  record_type: string;
  record_key: string;
  summary: string;
  raw_error: string | null;
  suggested_action: string;
  state: ExceptionState;
  deadline_at: string | null;
  occurrences: number;
  first_seen_at: string;
  last_seen_at: string;
}

interface ActionRow {
  id: number;
  exception_id: number;
  action: ExceptionActionKind;
  actor: string;
  reason: string | null;
  before_json: string | null;
  after_json: string | null;
  at: string;
}

const toException = (r: ExceptionRow): ExceptionRecord => ({
  id: r.id,
  flow: r.flow,
  type: r.type,
  severity: r.severity,
  record: { type: r.record_type, key: r.record_key },
  summary: r.summary,
  rawError: r.raw_error,
  suggestedAction: r.suggested_action,
  state: r.state,
  deadlineAt: r.deadline_at,
  occurrences: r.occurrences,
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
});

const toAction = (r: ActionRow): ExceptionAction => ({
  id: r.id,
  exceptionId: r.exception_id,
  action: r.action,
  actor: r.actor,
  reason: r.reason,
  before: r.before_json === null ? null : JSON.parse(r.before_json),
  after: r.after_json === null ? null : JSON.parse(r.after_json),
  at: r.at,
});

export class ExceptionNotFoundError extends Error {
  constructor(id: number) {
    super(`No exception ${id}`);
    this.name = 'ExceptionNotFoundError';
  }
}

/**
 * Exceptions: one live row per problem on a record, its occurrences counted, every move audited.
 * Flows raise and auto-resolve; operators retry, correct and dismiss.
 */
export class ExceptionsRepository {
  constructor(private readonly db: Db) {}

  /** Records a problem, or counts another occurrence of the same live one. Returns the row and whether it is new. */
  raise(input: RaiseException, at: Date): { exception: ExceptionRecord; created: boolean } {
    const now = at.toISOString();
    return this.db.transaction(() => {
      const live = this.db
        .prepare(
          "SELECT * FROM exceptions WHERE flow = ? AND type = ? AND record_type = ? AND record_key = ? AND state IN ('open','retrying')",
        )
        .get(input.flow, input.type, input.record.type, input.record.key) as ExceptionRow | undefined;
      if (live) {
        const row = this.db
          .prepare(
            `UPDATE exceptions SET occurrences = occurrences + 1, last_seen_at = ?, summary = ?, raw_error = ?, suggested_action = ?,
             severity = ?, deadline_at = coalesce(?, deadline_at), state = 'open' WHERE id = ? RETURNING *`,
          )
          .get(now, input.summary, input.rawError ?? null, input.suggestedAction, input.severity, input.deadlineAt?.toISOString() ?? null, live.id) as ExceptionRow;
        return { exception: toException(row), created: false };
      }
      const row = this.db
        .prepare(
          `INSERT INTO exceptions (flow, type, severity, record_type, record_key, summary, raw_error, suggested_action, state, deadline_at, first_seen_at, last_seen_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING *`,
        )
        .get(
          input.flow,
          input.type,
          input.severity,
          input.record.type,
          input.record.key,
          input.summary,
          input.rawError ?? null,
          input.suggestedAction,
          input.deadlineAt?.toISOString() ?? null,
          now,
          now,
        ) as ExceptionRow;
      this.audit(row.id, 'raised', 'engine', null, null, null, now);
      return { exception: toException(row), created: true };
    })();
  }

  get(id: number): ExceptionRecord {
    const row = this.db.prepare('SELECT * FROM exceptions WHERE id = ?').get(id) as ExceptionRow | undefined;
    if (!row) throw new ExceptionNotFoundError(id);
    return toException(row);
  }

  detail(id: number): ExceptionDetail {
    const exception = this.get(id);
    const actions = (this.db.prepare('SELECT * FROM exception_actions WHERE exception_id = ? ORDER BY id').all(id) as ActionRow[]).map(toAction);
    return { exception, actions };
  }

  list(filter: { state?: ExceptionState; flow?: FlowName; search?: string; limit: number; offset: number }): { rows: ExceptionRecord[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.state) {
      where.push('state = ?');
      args.push(filter.state);
    }
    if (filter.flow) {
      where.push('flow = ?');
      args.push(filter.flow);
    }
    if (filter.search) {
      where.push("(record_key LIKE ? ESCAPE '\\' OR summary LIKE ? ESCAPE '\\' OR type LIKE ? ESCAPE '\\')");
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      args.push(like, like, like);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db.prepare(`SELECT count(*) FROM exceptions ${clause}`).pluck().get(...args) as number;
    const rows = this.db
      .prepare(`SELECT * FROM exceptions ${clause} ORDER BY (state IN ('open','retrying')) DESC, last_seen_at DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...args, filter.limit, filter.offset) as ExceptionRow[];
    return { rows: rows.map(toException), total };
  }

  countOpen(): number {
    return this.db.prepare("SELECT count(*) FROM exceptions WHERE state IN ('open','retrying')").pluck().get() as number;
  }

  /** Live exceptions of one type on one flow, e.g. so a flow can retry the records an operator asked it to. */
  live(flow: FlowName, type?: string): ExceptionRecord[] {
    const rows = type
      ? this.db.prepare("SELECT * FROM exceptions WHERE flow = ? AND type = ? AND state IN ('open','retrying') ORDER BY id").all(flow, type)
      : this.db.prepare("SELECT * FROM exceptions WHERE flow = ? AND state IN ('open','retrying') ORDER BY id").all(flow);
    return (rows as ExceptionRow[]).map(toException);
  }

  /** Moves an exception to a new state and records who did it, why, and what changed. */
  transition(
    id: number,
    to: ExceptionState,
    action: ExceptionActionKind,
    actor: string,
    at: Date,
    detail: { reason?: string | null; before?: unknown; after?: unknown } = {},
  ): ExceptionRecord {
    const now = at.toISOString();
    return this.db.transaction(() => {
      const current = this.get(id);
      const row = this.db.prepare('UPDATE exceptions SET state = ?, last_seen_at = ? WHERE id = ? RETURNING *').get(to, now, id) as ExceptionRow;
      this.audit(id, action, actor, detail.reason ?? null, detail.before ?? { state: current.state }, detail.after ?? { state: to }, now);
      return toException(row);
    })();
  }

  /** The engine found the problem gone (the record went through): resolves the live exception, if any. */
  resolveFor(flow: FlowName, type: string, record: RecordRef, at: Date): ExceptionRecord | null {
    const live = this.db
      .prepare("SELECT id FROM exceptions WHERE flow = ? AND type = ? AND record_type = ? AND record_key = ? AND state IN ('open','retrying')")
      .pluck()
      .get(flow, type, record.type, record.key) as number | undefined;
    return live === undefined ? null : this.transition(live, 'resolved', 'resolve', 'engine', at);
  }

  private audit(id: number, action: ExceptionActionKind, actor: string, reason: string | null, before: unknown, after: unknown, at: string): void {
    this.db
      .prepare('INSERT INTO exception_actions (exception_id, action, actor, reason, before_json, after_json, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, action, actor, reason, before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after), at);
  }
}
