import { appendFileSync } from 'node:fs';
import type Database from 'better-sqlite3';

/**
 * What the chaos harness does to the engine process from outside, as the office PC would do it to the engine:
 * the machine's clock jumps (NTP, a person setting it, a laptop waking), and the disk the ledger is on fills up.
 * Installed in the engine process only (engine-entry.ts); the harness sends ChaosControl messages over the
 * process's IPC channel, which the engine's own protocol ignores.
 */
export type ChaosControl = { type: 'chaos-clock'; offsetMs: number } | { type: 'chaos-disk'; full: boolean };

export const CLOCK_OFFSET_VARIABLE = 'CHAOS_CLOCK_OFFSET_MS';
export const DISK_FULL_VARIABLE = 'CHAOS_DISK_FULL';
export const FULL_STACKS_VARIABLE = 'CHAOS_FULL_STACKS';

/** SQLite's own ceiling on a database's pages: "no limit" in practice. */
const NO_PAGE_LIMIT = 4_294_967_294;

let ledger: Database.Database | null = null;
let diskFull = false;

/**
 * A full disk, as SQLite meets it: the ledger may not grow by a single page (max_page_count at its size now), so a
 * write that needs a new page fails with SQLITE_FULL, while one that fits in pages already there (freed rows, a
 * reused write-ahead log) goes through, as it does on a real full disk.
 */
function applyDisk(): void {
  if (!ledger?.open) return;
  if (diskFull) {
    const pages = ledger.pragma('page_count', { simple: true }) as number;
    ledger.pragma(`max_page_count = ${pages}`);
  } else ledger.pragma(`max_page_count = ${NO_PAGE_LIMIT}`);
}

/** The engine opened its ledger (called by the chaos flows module as the engine builds its flows). */
export function chaosLedgerOpened(db: Database.Database): void {
  ledger = db;
  const stacks = process.env[FULL_STACKS_VARIABLE];
  if (stacks) {
    // Where each write that met the full disk came from, for the harness to name when the engine did not say so.
    const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
    for (const m of ['run', 'get', 'all']) {
      const orig = proto[m]!;
      proto[m] = function (this: unknown, ...a: unknown[]) {
        try {
          return orig.apply(this, a);
        } catch (e) {
          if ((e as { code?: string }).code === 'SQLITE_FULL') {
            const frames = ((e as Error).stack ?? '')
              .split('\n')
              .slice(2, 8)
              .map((f) => f.trim().replace(/\(?file:\/\/\S+\/([^/]+:\d+:\d+)\)?/, '$1'));
            appendFileSync(stacks, `${process.pid} ${frames.join(' < ')}\n`);
          }
          throw e;
        }
      };
    }
  }
  applyDisk();
}

/**
 * Makes Date.now() and new Date() read the machine's clock moved by an offset, as the operating system's clock
 * does after a jump; timers (setTimeout) keep counting real time, as Node's do.
 */
export function installChaosControls(): void {
  const RealDate = Date;
  let offsetMs = Number(process.env[CLOCK_OFFSET_VARIABLE] ?? 0);
  diskFull = process.env[DISK_FULL_VARIABLE] === '1';
  class JumpingDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...(args as [number]));
    }
    static override now(): number {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = JumpingDate as DateConstructor;
  process.on('message', (message: unknown) => {
    const m = message as Partial<ChaosControl> | null;
    if (m?.type === 'chaos-clock' && typeof m.offsetMs === 'number') offsetMs = m.offsetMs;
    else if (m?.type === 'chaos-disk' && typeof m.full === 'boolean') {
      diskFull = m.full;
      applyDisk();
    }
  });
}
