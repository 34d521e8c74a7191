import type { StockImportStatus } from '../ports/marketplace';

/** Progress readings kept to learn from (across imports): enough to follow a change, few enough to stay small. */
const POINTS_KEPT = 8;
/** Imports whose sizes are remembered until their outcome is read (older ones are forgotten first). */
const IMPORTS_KEPT = 32;
/** Once the start-up delay is known this closely, the first poll goes at its upper end. */
const START_TOLERANCE_MS = 1_000;

/** One STO02 answer, on the engine's clock: `askedAt` before the call went, `answeredAt` when the answer came. */
export interface ImportReading {
  askedAt: number;
  answeredAt: number;
  status: Pick<StockImportStatus, 'state' | 'linesInSuccess' | 'linesInError'>;
}

interface SentImport {
  lines: number;
  sentAt: number;
}

/**
 * When to ask STO02 about a stock import. The marketplace publishes no processing time, so it is learned from this
 * connector's own imports: each import waits a while before its lines move (the start-up), then works through its
 * lines at some rate. STO02's line counts while RUNNING ("d lines done t ms after sending") are fitted to a straight
 * line over the last few readings (start-up + lines × time per line); until two readings of different sizes exist,
 * the start-up is narrowed down between "still waiting at t" and "finished by t" from imports that were too quick to
 * catch running. The first poll goes when the import is expected to be finished, each later one when the
 * import's own progress says it will be; the governor keeps them at least the published 15 s apart.
 */
export class StockImportPace {
  private readonly imports = new Map<string, SentImport>();
  /** (lines done, ms after sending) from RUNNING readings, newest last. */
  private points: { done: number; at: number }[] = [];
  /** The start-up lies in [startLower, startUpper] ms after sending (upper Infinity: not yet seen finished). */
  private startLower = 0;
  private startUpper = Number.POSITIVE_INFINITY;

  sent(importId: string, lines: number, sentAt: number): void {
    this.imports.set(importId, { lines, sentAt });
    while (this.imports.size > IMPORTS_KEPT) this.imports.delete(this.imports.keys().next().value!);
  }

  /** Its outcome was read (COMPLETE or FAILED): learn from it, then forget it. */
  finished(importId: string, reading: ImportReading): void {
    const imp = this.imports.get(importId);
    if (imp) this.learn(imp, reading);
    this.imports.delete(importId);
  }

  /** Start-up (ms) and ms per line, from the progress readings; null until two readings of different sizes exist. */
  model(): { startMs: number; msPerLine: number } | null {
    const pts = this.points;
    if (pts.length < 2) return null;
    const n = pts.length;
    const meanD = pts.reduce((a, p) => a + p.done, 0) / n;
    const meanT = pts.reduce((a, p) => a + p.at, 0) / n;
    let sdd = 0;
    let sdt = 0;
    for (const p of pts) {
      sdd += (p.done - meanD) ** 2;
      sdt += (p.done - meanD) * (p.at - meanT);
    }
    if (sdd === 0 || sdt <= 0) return null;
    const msPerLine = sdt / sdd;
    return { startMs: Math.max(0, meanT - msPerLine * meanD), msPerLine };
  }

  /** When to ask first (engine time): when the import is expected to have finished; at once for an unknown import. */
  firstPoll(importId: string, now: number): number {
    const imp = this.imports.get(importId);
    if (!imp) return now;
    // Sent "after now": the clock was set back since; counted from now, or the wait would be as long as the jump.
    return Math.min(imp.sentAt, now) + this.expectedMs(imp.lines);
  }

  /** After a reading: when to ask next (engine time); never before `earliest`, the governor's next slot. */
  nextPoll(importId: string, reading: ImportReading, earliest: number): number {
    const imp = this.imports.get(importId);
    if (!imp) return earliest;
    const doneNow = this.learn(imp, reading);
    const model = this.model();
    if (!model) return earliest;
    // From where the import is now: what is left of it at the learned rate (or all of it once it starts).
    const from = doneNow > 0 ? reading.answeredAt : Math.max(reading.answeredAt, imp.sentAt + model.startMs);
    const expected = from + (imp.lines - doneNow) * model.msPerLine;
    return Math.max(earliest, expected + margin(expected - imp.sentAt));
  }

  private expectedMs(lines: number): number {
    const model = this.model();
    let expected: number;
    if (model) expected = model.startMs + lines * model.msPerLine;
    else if (this.startUpper === Number.POSITIVE_INFINITY) expected = this.startLower * 2;
    else if (this.startUpper - this.startLower <= START_TOLERANCE_MS) expected = this.startUpper;
    // Not yet known closely: try half-way, which narrows it down whichever way the answer goes.
    else expected = (this.startLower + this.startUpper) / 2;
    return expected === 0 ? 0 : expected + margin(expected);
  }

  /** Learns from a reading; returns the lines done when it was RUNNING with progress (else 0). */
  private learn(imp: SentImport, reading: ImportReading): number {
    const { state, linesInSuccess, linesInError } = reading.status;
    const done = (linesInSuccess ?? 0) + (linesInError ?? 0);
    const asked = reading.askedAt - imp.sentAt;
    const answered = reading.answeredAt - imp.sentAt;
    if (state === 'waiting' || (state === 'running' && done === 0)) {
      // Its lines had not started moving when it was asked.
      if (asked > this.startUpper) this.startUpper = Number.POSITIVE_INFINITY;
      this.startLower = Math.max(this.startLower, asked);
    } else if (state === 'running') {
      this.points = [...this.points, { done, at: answered }].slice(-POINTS_KEPT);
      this.startUpper = Math.min(this.startUpper, answered);
      if (this.startLower > this.startUpper) this.startLower = 0;
      return done;
    } else if (state === 'complete') {
      // Finished by then: the start-up was at most that, less its lines at the learned rate.
      const model = this.model();
      const bound = Math.max(0, answered - (model ? imp.lines * model.msPerLine : 0));
      this.startUpper = Math.min(this.startUpper, bound);
      if (this.startLower > this.startUpper) this.startLower = 0;
    }
    return 0;
  }
}

/** A little after the expected time, so a poll lands after the finish rather than just before it (at most 1 s). */
function margin(expectedMs: number): number {
  return Math.min(1_000, 100 + expectedMs * 0.02);
}
