import { rmSync, writeFileSync } from 'node:fs';
import type { EngineClient, HostPorts } from '../../electron/engine';
import { startChaosEngine, type ChaosEngine, type EngineBuild } from './engine';

const START_TIMEOUT_MS = 20_000;

/**
 * Keeps one engine process running for a trial, as the headless host or the desktop app would after a crash:
 * starts it (again) when it is gone, kills it when the plan says so, and tells it of the machine's clock and disk.
 * An engine that ends without being killed is a crash, and is counted as one.
 */
export class EngineSupervisor {
  crashes: string[] = [];
  starts = 0;
  private current: ChaosEngine | null = null;
  private starting: Promise<EngineClient> | null = null;
  private killing = false;
  private clockSkewMs = 0;
  private diskFull = false;

  constructor(
    private readonly input: {
      build: EngineBuild;
      ledgerFile: string;
      logFile: string;
      host: HostPorts;
      worldOffsetMs: () => number;
      disk: { dir: string; fullFlag: string; refusedMarker: string; fullStacks: string };
    },
  ) {}

  /** When each engine process ended (killed, crashed or stopped), by process id: a write it had refused could only be told while it lived. */
  readonly endedAt = new Map<number, number>();

  get client(): EngineClient | null {
    return this.current?.client ?? null;
  }

  /** The engine, started first if it is not running (the way a host restarts one that has gone). */
  running(): Promise<EngineClient> {
    if (this.current) return Promise.resolve(this.current.client);
    this.starting ??= this.start().finally(() => (this.starting = null));
    return this.starting;
  }

  private async start(): Promise<EngineClient> {
    const engine = await withTimeout(
      startChaosEngine({ ...this.input, clockOffsetMs: this.clockOffset(), diskFull: this.diskFull }),
      START_TIMEOUT_MS,
      'the engine process did not start',
    ).catch((error: unknown) => {
      // An engine that cannot start (on a full disk, say) is a crash like any other.
      this.crashes.push(
        `the engine process could not start${this.diskFull ? ' on the full disk' : ''}: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    });
    this.starts++;
    this.current = engine;
    void engine.client.exited.then((code) => {
      this.endedAt.set(engine.pid, Date.now());
      if (this.current !== engine) return;
      this.current = null;
      if (!this.killing)
        this.crashes.push(`the engine process ended by itself (exit code ${code}): ${engine.stderr().trim().split('\n').slice(-3).join(' | ')}`);
    });
    await engine.client.start();
    return engine.client;
  }

  /** SIGKILL, wherever the engine is; false when there was none running to kill. */
  async kill(): Promise<boolean> {
    const engine = this.current;
    if (!engine) return false;
    this.killing = true;
    this.current = null;
    await engine.kill();
    this.killing = false;
    return true;
  }

  /** The machine's clock now reads `skewMs` off the world's time (a jump, forward or back). */
  setClockSkew(skewMs: number): void {
    this.clockSkewMs = skewMs;
    this.syncClock();
  }

  /** The world's time moved on (a trial settling): the machine's clock moves with it. */
  syncClock(): void {
    this.current?.control({ type: 'chaos-clock', offsetMs: this.clockOffset() });
  }

  /** The data folder's disk fills up, or has space again: every write there fails (full-disk.c), and the ledger may not grow. */
  setDiskFull(full: boolean): void {
    this.diskFull = full;
    if (full) writeFileSync(this.input.disk.fullFlag, '');
    else rmSync(this.input.disk.fullFlag, { force: true });
    this.current?.control({ type: 'chaos-disk', full });
  }

  /** Asks the engine to stop, as the host does at the end of a day (runs in flight finish). */
  async stop(): Promise<void> {
    const engine = this.current;
    this.current = null;
    if (engine) await withTimeout(engine.client.stop(5_000), 30_000, 'the engine did not stop').catch(() => engine.kill());
  }

  private clockOffset(): number {
    return this.input.worldOffsetMs() + this.clockSkewMs;
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
