import type { Db } from './db';
import type { FlowName, Run, RunCounts, RunOutcome, RunTrigger } from '../../../shared/domain/flows';

interface RunRow {
  id: number;
  flow: FlowName;
  trigger: RunTrigger;
  started_at: string;
  ended_at: string | null;
  outcome: RunOutcome;
  counts: string;
  error: string | null;
  dry_run: number;
}

const toRun = (r: RunRow): Run => ({
  id: r.id,
  flow: r.flow,
  trigger: r.trigger,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  outcome: r.outcome,
  counts: JSON.parse(r.counts) as RunCounts,
  error: r.error,
  dryRun: r.dry_run === 1,
});

/** Every run of every flow: start, end, outcome, counts, error. Cadence drift and failure streaks are read from here. */
export class RunsRepository {
  constructor(private readonly db: Db) {}

  start(flow: FlowName, trigger: RunTrigger, at: Date, dryRun: boolean): Run {
    const row = this.db
      .prepare("INSERT INTO runs (flow, trigger, started_at, outcome, dry_run) VALUES (?, ?, ?, 'running', ?) RETURNING *")
      .get(flow, trigger, at.toISOString(), dryRun ? 1 : 0) as RunRow;
    return toRun(row);
  }

  finish(id: number, outcome: Exclude<RunOutcome, 'running'>, at: Date, counts: RunCounts, error: string | null): Run {
    const row = this.db
      .prepare('UPDATE runs SET outcome = ?, ended_at = ?, counts = ?, error = ? WHERE id = ? RETURNING *')
      .get(outcome, at.toISOString(), JSON.stringify(counts), error, id) as RunRow;
    return toRun(row);
  }

  /** A run still 'running' when the engine starts was cut short by a crash or a kill; one still so when a full disk has room again, by the disk. */
  markInterrupted(at: Date, why = 'The engine stopped during this run'): number {
    return this.db.prepare("UPDATE runs SET outcome = 'interrupted', ended_at = ?, error = ? WHERE outcome = 'running'").run(at.toISOString(), why).changes;
  }

  /** Newest first, optionally of one flow or one outcome; the console pages with offset. Walks the primary key, so a rare outcome costs a scan. */
  list(options: { flow?: FlowName; outcome?: RunOutcome; exceptFlows?: readonly FlowName[]; limit: number; offset?: number }): Run[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (options.exceptFlows?.length) {
      where.push(`flow NOT IN (${options.exceptFlows.map(() => '?').join(', ')})`);
      args.push(...options.exceptFlows);
    }
    if (options.flow) {
      where.push('flow = ?');
      args.push(options.flow);
    }
    if (options.outcome) {
      where.push('outcome = ?');
      args.push(options.outcome);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT * FROM runs ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...args, options.limit, options.offset ?? 0);
    return (rows as RunRow[]).map(toRun);
  }

  /** A flow's latest runs, oldest first (the Overview's strip of outcomes). */
  recent(flow: FlowName, limit: number): Run[] {
    const rows = this.db.prepare('SELECT * FROM runs WHERE flow = ? ORDER BY id DESC LIMIT ?').all(flow, limit) as RunRow[];
    return rows.map(toRun).reverse();
  }

  last(flow: FlowName): Run | null {
    const row = this.db.prepare('SELECT * FROM runs WHERE flow = ? ORDER BY id DESC LIMIT 1').get(flow) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  lastSuccessAt(flow: FlowName): string | null {
    return (this.db.prepare("SELECT max(ended_at) FROM runs WHERE flow = ? AND outcome = 'succeeded'").pluck().get(flow) as string | null) ?? null;
  }

  /** Consecutive failed or interrupted runs since the last success. */
  failureStreak(flow: FlowName): number {
    return this.db
      .prepare(
        `SELECT count(*) FROM runs WHERE flow = ? AND outcome IN ('failed','interrupted')
         AND id > coalesce((SELECT max(id) FROM runs WHERE flow = ? AND outcome = 'succeeded'), 0)`,
      )
      .pluck()
      .get(flow, flow) as number;
  }
}
