import type { Clock, TimerHandle } from '../ports';
import type { FlowName, RunTrigger } from '../../../shared/domain/flows';

export interface ScheduleEntry {
  enabled: boolean;
  cadenceMs: number;
}

export interface SchedulerDeps {
  clock: Clock;
  random: () => number;
  /** Spread added to each cadence, as a fraction of it, so flows don't fire in lockstep. */
  jitterFraction: () => number;
  /** Runs a flow once; the scheduler awaits it before planning the next run (single-flight). */
  run: (flow: FlowName, trigger: RunTrigger) => Promise<unknown>;
  /** Called when a flow starts or stops running, after the scheduler's own view (running, next run) is up to date. */
  onChange?: (flow: FlowName) => void;
}

/**
 * Fires each enabled flow on its cadence. A flow never runs twice at once: a tick or a "run now" that
 * arrives while it runs joins the run in flight. The next run is planned from the end of the last one,
 * so a slow run pushes the cadence back instead of piling up.
 */
export class Scheduler {
  private schedules = new Map<FlowName, ScheduleEntry>();
  private timers = new Map<FlowName, TimerHandle>();
  private nextAt = new Map<FlowName, number>();
  private inFlight = new Map<FlowName, Promise<unknown>>();
  private active = false;

  constructor(private readonly deps: SchedulerDeps) {}

  configure(schedules: Partial<Record<FlowName, ScheduleEntry>>): void {
    for (const [flow, entry] of Object.entries(schedules) as [FlowName, ScheduleEntry][]) {
      const before = this.schedules.get(flow);
      this.schedules.set(flow, entry);
      if (!this.active) continue;
      if (!entry.enabled) this.cancel(flow);
      else if (!before?.enabled || before.cadenceMs !== entry.cadenceMs) {
        if (!this.inFlight.has(flow)) this.plan(flow, before?.enabled ? this.delay(entry.cadenceMs) : 0);
      }
    }
  }

  /** Starts the timers; every enabled flow runs at once, then on its cadence. */
  start(): void {
    if (this.active) return;
    this.active = true;
    for (const [flow, entry] of this.schedules) if (entry.enabled && !this.inFlight.has(flow)) this.plan(flow, 0);
  }

  /** Stops planning runs; runs in flight finish. */
  stop(): void {
    this.active = false;
    for (const flow of [...this.timers.keys()]) this.cancel(flow);
  }

  get running(): boolean {
    return this.active;
  }

  isRunning(flow: FlowName): boolean {
    return this.inFlight.has(flow);
  }

  nextRunAt(flow: FlowName): number | null {
    return this.nextAt.get(flow) ?? null;
  }

  /** Runs a flow now, or joins the run already in flight. */
  trigger(flow: FlowName, trigger: RunTrigger): Promise<unknown> {
    const current = this.inFlight.get(flow);
    if (current) return current;
    this.cancel(flow);
    const run = (async () => {
      // Yield once so the run is registered as in flight before it starts.
      await Promise.resolve();
      try {
        return await this.deps.run(flow, trigger);
      } finally {
        this.inFlight.delete(flow);
        const entry = this.schedules.get(flow);
        if (this.active && entry?.enabled) this.plan(flow, this.delay(entry.cadenceMs));
        this.deps.onChange?.(flow);
      }
    })();
    this.inFlight.set(flow, run);
    this.deps.onChange?.(flow);
    return run;
  }

  /** Resolves when no run is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
  }

  private plan(flow: FlowName, delayMs: number): void {
    this.cancel(flow);
    this.nextAt.set(flow, this.deps.clock.now() + delayMs);
    this.timers.set(
      flow,
      this.deps.clock.setTimeout(() => {
        this.timers.delete(flow);
        this.nextAt.delete(flow);
        void this.trigger(flow, 'schedule').catch(() => undefined);
      }, delayMs),
    );
  }

  private cancel(flow: FlowName): void {
    const t = this.timers.get(flow);
    if (t) this.deps.clock.clearTimeout(t);
    this.timers.delete(flow);
    this.nextAt.delete(flow);
  }

  private delay(cadenceMs: number): number {
    const spread = cadenceMs * this.deps.jitterFraction();
    return Math.max(0, Math.round(cadenceMs + spread * (2 * this.deps.random() - 1)));
  }
}
