import type { Db } from './db';

/** Upper bounds (ms) of the latency histogram's buckets; the last bucket takes everything slower. */
export const LATENCY_BUCKETS_MS = [50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000, 30_000] as const;

const MINUTE_MS = 60_000;

interface Minute {
  requests: number;
  failures: number;
  totalMs: number;
  buckets: number[];
}

export interface RequestWindow {
  /** The window's start (ISO). */
  at: string;
  requests: number;
  failures: number;
  /** Latency percentiles as the histogram's bucket bounds (ms); null without requests. */
  p50: number | null;
  p95: number | null;
}

const emptyBuckets = () => LATENCY_BUCKETS_MS.map(() => 0).concat(0);
const minuteOf = (ms: number) => new Date(Math.floor(ms / MINUTE_MS) * MINUTE_MS).toISOString();

/** The bound of the bucket holding the p-th percentile: an upper estimate, to the histogram's resolution. */
export function percentileOf(buckets: readonly number[], p: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i]!;
    if (seen >= rank) return LATENCY_BUCKETS_MS[i] ?? LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]! * 2;
  }
  return null;
}

/**
 * Every request to SAP and the marketplace, counted a minute at a time per system (migration 017): the Overview's
 * latency and error-rate history. The minute under way is kept in memory and written when the next begins, so a
 * request costs no SQLite write; a minute's row is a few dozen bytes, a day under three thousand rows.
 */
export class RequestStats {
  private readonly current = new Map<string, { minute: string; stats: Minute }>();
  private readonly save;

  constructor(private readonly db: Db) {
    this.save = db.prepare(
      `INSERT INTO request_stats (system, minute, requests, failures, total_ms, buckets) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (system, minute) DO UPDATE SET requests = requests + excluded.requests, failures = failures + excluded.failures,
       total_ms = total_ms + excluded.total_ms, buckets = excluded.buckets`,
    );
  }

  /** One answered (or failed) request: `failed` is a network error, a timeout or a 5xx. */
  record(system: string, ms: number, failed: boolean, at: number): void {
    const minute = minuteOf(at);
    let open = this.current.get(system);
    if (open && open.minute !== minute) {
      this.write(system);
      open = undefined;
    }
    if (!open) {
      open = { minute, stats: { requests: 0, failures: 0, totalMs: 0, buckets: emptyBuckets() } };
      this.current.set(system, open);
    }
    const s = open.stats;
    s.requests++;
    if (failed) s.failures++;
    s.totalMs += Math.max(0, Math.round(ms));
    const bucket = LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound);
    s.buckets[bucket === -1 ? LATENCY_BUCKETS_MS.length : bucket]!++;
  }

  /** Writes the minutes under way (before a read, and when the engine stops). */
  flush(): void {
    for (const system of [...this.current.keys()]) this.write(system);
  }

  /**
   * Each system's requests from `since` in windows of `windowMs`, oldest first (windows without requests included,
   * so a chart shows the gaps), and the whole period's totals.
   */
  history(since: number, until: number, windowMs: number): Map<string, { windows: RequestWindow[]; total: RequestWindow }> {
    this.flush();
    const rows = this.db
      .prepare('SELECT system, minute, requests, failures, buckets FROM request_stats WHERE minute >= ? AND minute <= ? ORDER BY system, minute')
      .all(minuteOf(since), new Date(until).toISOString()) as { system: string; minute: string; requests: number; failures: number; buckets: string }[];
    const start = Math.floor(since / windowMs) * windowMs;
    const count = Math.max(1, Math.ceil((until - start) / windowMs));
    const out = new Map<string, { windows: RequestWindow[]; total: RequestWindow }>();
    const sums = new Map<string, { windows: Minute[]; total: Minute }>();
    const blank = (): Minute => ({ requests: 0, failures: 0, totalMs: 0, buckets: emptyBuckets() });
    for (const r of rows) {
      let s = sums.get(r.system);
      if (!s) {
        s = { windows: Array.from({ length: count }, blank), total: blank() };
        sums.set(r.system, s);
      }
      const i = Math.min(count - 1, Math.max(0, Math.floor((Date.parse(r.minute) - start) / windowMs)));
      const buckets = JSON.parse(r.buckets) as number[];
      for (const target of [s.windows[i]!, s.total]) {
        target.requests += r.requests;
        target.failures += r.failures;
        buckets.forEach((n, b) => (target.buckets[b] = (target.buckets[b] ?? 0) + n));
      }
    }
    const view = (m: Minute, at: number): RequestWindow => ({
      at: new Date(at).toISOString(),
      requests: m.requests,
      failures: m.failures,
      p50: percentileOf(m.buckets, 50),
      p95: percentileOf(m.buckets, 95),
    });
    for (const [system, s] of sums) out.set(system, { windows: s.windows.map((w, i) => view(w, start + i * windowMs)), total: view(s.total, start) });
    return out;
  }

  private write(system: string): void {
    const open = this.current.get(system);
    if (!open) return;
    this.current.delete(system);
    const s = open.stats;
    // A minute written twice (flushed for a read, then more requests in the same minute) adds up.
    const stored = this.db.prepare('SELECT buckets FROM request_stats WHERE system = ? AND minute = ?').pluck().get(system, open.minute) as string | undefined;
    const buckets = stored ? (JSON.parse(stored) as number[]).map((n, i) => n + (s.buckets[i] ?? 0)) : s.buckets;
    this.save.run(system, open.minute, s.requests, s.failures, s.totalMs, JSON.stringify(buckets));
  }
}
