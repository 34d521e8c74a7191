import type { Db } from './db';
import type { FlowName } from '../../../shared/domain/flows';

export type IntentOutcome = 'succeeded' | 'failed' | 'dry-run' | 'found-existing';

export interface Intent {
  id: number;
  flow: FlowName;
  system: string;
  operation: string;
  recordKey: string;
  payload: unknown;
  createdAt: string;
  outcome: IntentOutcome | null;
  outcomeAt: string | null;
  externalRef: string | null;
  error: string | null;
}

interface IntentRow {
  id: number;
  flow: FlowName;
  system: string;
  operation: string;
  record_key: string;
  payload: string;
  created_at: string;
  outcome: IntentOutcome | null;
  outcome_at: string | null;
  external_ref: string | null;
  error: string | null;
}

const toIntent = (r: IntentRow): Intent => ({
  id: r.id,
  flow: r.flow,
  system: r.system,
  operation: r.operation,
  recordKey: r.record_key,
  payload: JSON.parse(r.payload),
  createdAt: r.created_at,
  outcome: r.outcome,
  outcomeAt: r.outcome_at,
  externalRef: r.external_ref,
  error: r.error,
});

/**
 * The outbox. A write to another system is recorded here before it is sent and its outcome after; an intent
 * without an outcome after a restart must be resolved by looking the record up on the other side first.
 * Under dry run the intent is closed as 'dry-run': the console shows exactly what would have been sent.
 */
/** Intents of this process whose sending time is kept in memory: more are never open at once. */
const SENT_KEPT = 10_000;

export class IntentsRepository {
  /** A clock nobody sets (Clock.monotonic), once the engine gives one: settle times are then real time. */
  private monotonic: (() => number) | null = null;
  /** When this process opened the ledger, on that clock: an intent of an earlier process is at least this old. */
  private openedAt = 0;
  /** When this process recorded each intent still open, on that clock. */
  private readonly sentAt = new Map<number, number>();

  constructor(private readonly db: Db) {}

  /**
   * Measures settle times on `monotonic` from now on instead of the wall clock, which a person or NTP sets: a clock
   * set forward must not end a settle time while SAP may still be committing the create (it would be sent twice),
   * and one set back must not stretch it by the jump.
   */
  followMonotonicClock(monotonic: () => number): void {
    this.monotonic = monotonic;
    this.openedAt = monotonic();
  }

  record(input: { flow: FlowName; system: string; operation: string; recordKey: string; payload: unknown }, at: Date): Intent {
    const row = this.db
      .prepare('INSERT INTO intents (flow, system, operation, record_key, payload, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *')
      .get(input.flow, input.system, input.operation, input.recordKey, JSON.stringify(input.payload ?? null), at.toISOString()) as IntentRow;
    if (this.monotonic) {
      this.sentAt.set(row.id, this.monotonic());
      if (this.sentAt.size > SENT_KEPT) this.sentAt.delete(this.sentAt.keys().next().value!);
    }
    return toIntent(row);
  }

  close(id: number, outcome: IntentOutcome, at: Date, detail: { externalRef?: string | null; error?: string | null } = {}): Intent {
    const row = this.db
      .prepare('UPDATE intents SET outcome = ?, outcome_at = ?, external_ref = ?, error = ? WHERE id = ? RETURNING *')
      .get(outcome, at.toISOString(), detail.externalRef ?? null, detail.error ?? null, id) as IntentRow;
    this.sentAt.delete(id);
    return toIntent(row);
  }

  /** Notes what is known of an intent still without an outcome (e.g. "sent, no answer"). */
  note(id: number, error: string): void {
    this.db.prepare('UPDATE intents SET error = ? WHERE id = ? AND outcome IS NULL').run(error, id);
  }

  pending(flow: FlowName): Intent[] {
    return (this.db.prepare('SELECT * FROM intents WHERE flow = ? AND outcome IS NULL ORDER BY id').all(flow) as IntentRow[]).map(toIntent);
  }

  forRecord(system: string, operation: string, recordKey: string): Intent[] {
    return (
      this.db
        .prepare('SELECT * FROM intents WHERE system = ? AND operation = ? AND record_key = ? ORDER BY id')
        .all(system, operation, recordKey) as IntentRow[]
    ).map(toIntent);
  }

  /** A write of this record sent without an outcome yet (unanswered, or by an engine that died) and younger than `settleMs`. */
  settling(system: string, operation: string, recordKey: string, now: Date, settleMs: number): Intent | undefined {
    return this.forRecord(system, operation, recordKey).find((i) => i.outcome === null && this.younger(i, now, settleMs));
  }

  private younger(intent: Intent, now: Date, settleMs: number): boolean {
    if (!this.monotonic) return now.getTime() - Date.parse(intent.createdAt) < settleMs;
    const sent = this.sentAt.get(intent.id);
    // Sent by this process: real time since. Sent by an earlier one (it died or was stopped): at least as long ago
    // as this process has run, whatever the wall clock says.
    return this.monotonic() - (sent ?? this.openedAt) < settleMs;
  }

  /** The write that got this reference from the other system (e.g. the stock import with this id), if any. */
  byExternalRef(system: string, operation: string, externalRef: string): Intent | undefined {
    const row = this.db
      .prepare('SELECT * FROM intents WHERE system = ? AND operation = ? AND external_ref = ? ORDER BY id LIMIT 1')
      .get(system, operation, externalRef) as IntentRow | undefined;
    return row ? toIntent(row) : undefined;
  }

  dryRuns(limit: number): Intent[] {
    return (this.db.prepare("SELECT * FROM intents WHERE outcome = 'dry-run' ORDER BY id DESC LIMIT ?").all(limit) as IntentRow[]).map(toIntent);
  }
}
