import type { Db } from './db';
import type { FlowName } from '../../../shared/domain/flows';
import type {
  ExceptionAction,
  ExceptionCategory,
  ExceptionActionKind,
  ExceptionDetail,
  ExceptionRecord,
  ExceptionState,
  RecordRef,
  Severity,
} from '../../../shared/domain/exceptions';

/** The Exceptions screen's filters (shared/contract/exceptions.ts). */
export interface ExceptionListFilter {
  state?: ExceptionState;
  flow?: FlowName;
  category?: ExceptionCategory;
  severity?: Severity;
  type?: string;
  search?: string;
}

export interface RaiseException {
  flow: FlowName;
  type: string;
  severity: Severity;
  /** Business (default): waits for a person. Technical: the engine could not finish and says so. */
  category?: ExceptionCategory;
  record: RecordRef;
  summary: string;
  rawError?: string | null;
  suggestedAction: string;
  deadlineAt?: Date | null;
  /**
   * A short fingerprint of the record as it is now (the order's last update, a Delivery Note's update stamp, a
   * SKU's figure). A dismissed exception stays dismissed while this is unchanged and reopens when it changes.
   */
  recordVersion?: string | null;
}

/** What raising did: a new exception, another occurrence of a live one, a dismissed one reopened, or nothing new (still dismissed). */
export interface RaiseOutcome {
  exception: ExceptionRecord;
  created: boolean;
  /** A dismissed exception came back because the record it is about changed. */
  reopened: boolean;
  /** Dismissed by a person and the record has not changed since: no event, no alert. */
  quiet: boolean;
}

interface ExceptionRow {
  id: number;
  flow: FlowName;
  type: string;
  severity: Severity;
  category: ExceptionCategory;
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
  record_version: string | null;
  notified_at: string | null;
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
  category: r.category,
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

  /**
   * Records a problem, or counts another occurrence of the same live one. A problem a person dismissed stays
   * dismissed (counted, silent) while the record's version is unchanged or unknown; a changed version reopens it,
   * audited as the engine's 'reopen'.
   */
  raise(input: RaiseException, at: Date): RaiseOutcome {
    const now = at.toISOString();
    const version = input.recordVersion ?? null;
    const category = input.category ?? 'business';
    return this.db.transaction((): RaiseOutcome => {
      const live = this.db
        .prepare("SELECT * FROM exceptions WHERE flow = ? AND type = ? AND record_type = ? AND record_key = ? AND state IN ('open','retrying')")
        .get(input.flow, input.type, input.record.type, input.record.key) as ExceptionRow | undefined;
      if (live) {
        const row = this.db
          .prepare(
            `UPDATE exceptions SET occurrences = occurrences + 1, last_seen_at = ?, summary = ?, raw_error = ?, suggested_action = ?,
             severity = ?, category = ?, deadline_at = coalesce(?, deadline_at), record_version = coalesce(?, record_version), state = 'open' WHERE id = ? RETURNING *`,
          )
          .get(
            now,
            input.summary,
            input.rawError ?? null,
            input.suggestedAction,
            input.severity,
            category,
            input.deadlineAt?.toISOString() ?? null,
            version,
            live.id,
          ) as ExceptionRow;
        return { exception: toException(row), created: false, reopened: false, quiet: false };
      }
      const latest = this.latestRow(input.flow, input.type, input.record);
      if (latest?.state === 'dismissed') {
        if (version === null || latest.record_version === null || latest.record_version === version) {
          // Unknown before (dismissed before versions were kept): this version is the one the person dismissed.
          const row = this.db
            .prepare(
              'UPDATE exceptions SET occurrences = occurrences + 1, last_seen_at = ?, record_version = coalesce(record_version, ?) WHERE id = ? RETURNING *',
            )
            .get(now, version, latest.id) as ExceptionRow;
          return { exception: toException(row), created: false, reopened: false, quiet: true };
        }
        const row = this.db
          .prepare(
            `UPDATE exceptions SET state = 'open', occurrences = occurrences + 1, last_seen_at = ?, summary = ?, raw_error = ?, suggested_action = ?,
             severity = ?, category = ?, deadline_at = coalesce(?, deadline_at), record_version = ?, notified_at = NULL WHERE id = ? RETURNING *`,
          )
          .get(
            now,
            input.summary,
            input.rawError ?? null,
            input.suggestedAction,
            input.severity,
            category,
            input.deadlineAt?.toISOString() ?? null,
            version,
            latest.id,
          ) as ExceptionRow;
        this.audit(
          latest.id,
          'reopen',
          'engine',
          'The record changed after the exception was dismissed',
          { state: 'dismissed', recordVersion: latest.record_version },
          { state: 'open', recordVersion: version },
          now,
        );
        return { exception: toException(row), created: false, reopened: true, quiet: false };
      }
      const row = this.db
        .prepare(
          `INSERT INTO exceptions (flow, type, severity, category, record_type, record_key, summary, raw_error, suggested_action, state, deadline_at, first_seen_at, last_seen_at, record_version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          input.flow,
          input.type,
          input.severity,
          category,
          input.record.type,
          input.record.key,
          input.summary,
          input.rawError ?? null,
          input.suggestedAction,
          input.deadlineAt?.toISOString() ?? null,
          now,
          now,
          version,
        ) as ExceptionRow;
      this.audit(row.id, 'raised', 'engine', null, null, null, now);
      return { exception: toException(row), created: true, reopened: false, quiet: false };
    })();
  }

  /**
   * Marks a live exception as alerted (tray or OS notification) if it was not yet; true when this call did. Kept in
   * the ledger, so an exception alerts at most once per opening, across restarts.
   */
  claimNotification(id: number, at: Date): boolean {
    return (
      this.db.prepare("UPDATE exceptions SET notified_at = ? WHERE id = ? AND notified_at IS NULL AND state IN ('open','retrying')").run(at.toISOString(), id)
        .changes === 1
    );
  }

  /** True when a person dismissed the latest exception of this flow on the record and none is live: the record is left alone. */
  isDismissed(flow: FlowName, record: RecordRef): boolean {
    const states = this.db
      .prepare(
        `SELECT state FROM exceptions e WHERE flow = ? AND record_type = ? AND record_key = ?
         AND id = (SELECT max(id) FROM exceptions l WHERE l.flow = e.flow AND l.type = e.type AND l.record_type = e.record_type AND l.record_key = e.record_key)`,
      )
      .pluck()
      .all(flow, record.type, record.key) as ExceptionState[];
    return states.includes('dismissed') && !states.some((s) => s === 'open' || s === 'retrying');
  }

  private latestRow(flow: FlowName, type: string, record: RecordRef): ExceptionRow | undefined {
    return this.db
      .prepare('SELECT * FROM exceptions WHERE flow = ? AND type = ? AND record_type = ? AND record_key = ? ORDER BY id DESC LIMIT 1')
      .get(flow, type, record.type, record.key) as ExceptionRow | undefined;
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

  /** The WHERE clause of the Exceptions screen's filters (every one optional). */
  private where(filter: ExceptionListFilter): { clause: string; args: unknown[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    const equal = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      args.push(value);
    };
    equal('category', filter.category);
    equal('state', filter.state);
    equal('flow', filter.flow);
    equal('severity', filter.severity);
    equal('type', filter.type);
    if (filter.search) {
      where.push("(record_key LIKE ? ESCAPE '\\' OR summary LIKE ? ESCAPE '\\' OR type LIKE ? ESCAPE '\\')");
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      args.push(like, like, like);
    }
    return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
  }

  list(filter: ExceptionListFilter & { limit: number; offset: number }): {
    rows: ExceptionRecord[];
    total: number;
  } {
    const { clause, args } = this.where(filter);
    const total = this.db
      .prepare(`SELECT count(*) FROM exceptions ${clause}`)
      .pluck()
      .get(...args) as number;
    const rows = this.db
      // One state chosen (the screen starts on Open): newest first straight off an index, never a sort of every match.
      .prepare(
        `SELECT * FROM exceptions ${clause} ORDER BY ${filter.state ? '' : "(state IN ('open','retrying')) DESC, "}last_seen_at DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .all(...args, filter.limit, filter.offset) as ExceptionRow[];
    return { rows: rows.map(toException), total };
  }

  /** How many exceptions of each type the filter holds, most first: the screen's "by type" line. */
  groups(filter: Omit<ExceptionListFilter, 'type'>): { type: string; flow: FlowName; count: number }[] {
    const { clause, args } = this.where(filter);
    return this.db
      .prepare(`SELECT type, flow, count(*) AS count FROM exceptions ${clause} GROUP BY type, flow ORDER BY count DESC, type LIMIT 100`)
      .all(...args) as { type: string; flow: FlowName; count: number }[];
  }

  /** Live exceptions with a deadline, soonest first: what needs a person now. */
  due(limit: number): ExceptionRecord[] {
    return (
      this.db
        .prepare("SELECT * FROM exceptions WHERE state IN ('open','retrying') AND deadline_at IS NOT NULL ORDER BY deadline_at, id LIMIT ?")
        .all(limit) as ExceptionRow[]
    ).map(toException);
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

  /**
   * The engine found the problem gone (the record went through): resolves the live exception, if any. A dismissed
   * one is closed as resolved too, so that the problem coming back later is a new exception that alerts again.
   */
  resolveFor(flow: FlowName, type: string, record: RecordRef, at: Date): ExceptionRecord | null {
    const live = this.db
      .prepare("SELECT id FROM exceptions WHERE flow = ? AND type = ? AND record_type = ? AND record_key = ? AND state IN ('open','retrying')")
      .pluck()
      .get(flow, type, record.type, record.key) as number | undefined;
    if (live !== undefined) return this.transition(live, 'resolved', 'resolve', 'engine', at);
    const latest = this.latestRow(flow, type, record);
    if (latest?.state === 'dismissed')
      return this.transition(latest.id, 'resolved', 'resolve', 'engine', at, { reason: 'The problem went away after it was dismissed' });
    return null;
  }

  private audit(id: number, action: ExceptionActionKind, actor: string, reason: string | null, before: unknown, after: unknown, at: string): void {
    this.db
      .prepare('INSERT INTO exception_actions (exception_id, action, actor, reason, before_json, after_json, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, action, actor, reason, before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after), at);
  }
}
