import type { Db } from './db';
import type { RecordRef } from '../../../shared/domain/exceptions';

export type TimelineSource = 'marketplace' | 'sap' | 'exception' | 'operator' | 'engine';

export interface TimelineEvent {
  id: number;
  record: RecordRef;
  at: string;
  source: TimelineSource;
  summary: string;
  detail: unknown;
}

/** How many events one record keeps: a record retried every few minutes for weeks must not grow without end. */
export const EVENTS_PER_RECORD = 500;

/**
 * What happened to one record, in order, whichever flow did it: the order detail shows intake, posting, despatch
 * (and next returns and payouts) as one story.
 */
export class Timeline {
  constructor(private readonly db: Db) {}

  add(record: RecordRef, source: TimelineSource, summary: string, at: Date, detail: unknown = null): void {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO record_events (record_type, record_key, at, source, summary, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(record.type, record.key, at.toISOString(), source, summary, detail === null ? null : JSON.stringify(detail));
    // Every so often, the oldest events beyond the bound go; the first event (how the record arrived) stays.
    if (Number(lastInsertRowid) % 100 === 0) this.trim(record);
  }

  of(record: RecordRef, limit = EVENTS_PER_RECORD): TimelineEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM (SELECT * FROM record_events WHERE record_type = ? AND record_key = ? ORDER BY id DESC LIMIT ?) ORDER BY id')
      .all(record.type, record.key, limit) as { id: number; at: string; source: TimelineSource; summary: string; detail: string | null }[];
    return rows.map((r) => ({ id: r.id, record, at: r.at, source: r.source, summary: r.summary, detail: r.detail === null ? null : JSON.parse(r.detail) }));
  }

  private trim(record: RecordRef): void {
    this.db
      .prepare(
        `DELETE FROM record_events WHERE record_type = ? AND record_key = ? AND id < (
           SELECT id FROM record_events WHERE record_type = ? AND record_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)
         AND id > (SELECT min(id) FROM record_events WHERE record_type = ? AND record_key = ?)`,
      )
      .run(record.type, record.key, record.type, record.key, EVENTS_PER_RECORD - 1, record.type, record.key);
  }
}
