/** Request latencies per entity set, kept as a bounded window, for the health view's percentiles. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const WINDOW = 500;

export class LatencyRecorder {
  private readonly samples = new Map<string, { values: number[]; count: number }>();

  record(entity: string, ms: number) {
    let s = this.samples.get(entity);
    if (!s) {
      s = { values: [], count: 0 };
      this.samples.set(entity, s);
    }
    s.count++;
    s.values.push(ms);
    if (s.values.length > WINDOW) s.values.shift();
  }

  summary(): Record<string, LatencySummary> {
    const out: Record<string, LatencySummary> = {};
    for (const [entity, s] of this.samples) {
      const sorted = [...s.values].sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
      out[entity] = { count: s.count, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? 0 };
    }
    return out;
  }
}

/** The entity a path addresses, for grouping: `Orders(5)/Close` → `Orders`, `SQLQueries('x')/List` → `SQLQueries`. */
export function entityOf(path: string): string {
  return /^[A-Za-z$]+/.exec(path)?.[0] ?? path;
}
