import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { EngineDiagnostics } from '../../shared/domain/diagnostics';

/** One slot a minute, an hour of them: the last hour's worst figures without keeping every sample. */
const SLOT_MS = 60_000;
const SLOTS = 60;
/** How often resident memory is sampled for the last hour's peak (the peak since start is the kernel's own). */
const SAMPLE_MS = 1_000;
/** The event-loop delay histogram's resolution: blocks shorter than this are not told apart from none. */
const RESOLUTION_MS = 10;
/** The tick that tells the thread's own work from waiting for a CPU. */
const BUSY_TICK_MS = 10;

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
const ms = (ns: number) => Math.round(ns / 1e5) / 10;

export interface Diagnostics {
  snapshot(): EngineDiagnostics;
  /** Starts the "since reset" figures again (e.g. once start-up is over, or before a cycle someone wants to see). */
  reset(): void;
  stop(): void;
}

/**
 * The engine process measuring itself, for IT: resident memory now and at its peak, and how long the event loop was
 * held in one piece (perf_hooks.monitorEventLoopDelay), since the process started, over the last hour and since the
 * last reset. Real time,
 * not the engine's clock: this is about the process, not the flows' schedule. Its timers never keep a process alive.
 */
export function startDiagnostics(): Diagnostics {
  const startedAt = Date.now();
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  /** Per minute, newest last: the longest block (ns) and the highest resident memory (bytes) seen in it. */
  let slots: { at: number; maxBlockNs: number; maxRss: number }[] = [];
  let maxBlockNs = 0;
  let slot = { at: startedAt, maxBlockNs: 0, maxRss: process.memoryUsage.rss() };
  let sinceReset = { at: startedAt, maxBlockNs: 0, maxRss: slot.maxRss };

  /** The histogram's worst so far goes into the minute's, the overall and the since-reset figures; it starts again. */
  const fold = () => {
    slot.maxBlockNs = Math.max(slot.maxBlockNs, delay.max);
    maxBlockNs = Math.max(maxBlockNs, slot.maxBlockNs);
    sinceReset.maxBlockNs = Math.max(sinceReset.maxBlockNs, delay.max);
    delay.reset();
  };
  const closeSlot = (now: number) => {
    fold();
    slots = [...slots, slot].slice(-SLOTS);
    slot = { at: now, maxBlockNs: 0, maxRss: process.memoryUsage.rss() };
  };
  // How long the thread itself worked without yielding, told apart from waiting for a CPU (the engine runs below normal
  // priority, so a busy computer delays its timers without the engine doing anything): a 10 ms timer notes how late it
  // fires and how much CPU time this thread used meanwhile; the smaller of the two is work that held the loop.
  let busyMaxNs = 0;
  let busySinceResetNs = 0;
  let lastTick = performance.now();
  let lastCpu = process.threadCpuUsage();
  const busy = setInterval(() => {
    const now = performance.now();
    const cpu = process.threadCpuUsage(lastCpu);
    const lateMs = Math.max(0, now - lastTick - BUSY_TICK_MS);
    const workedMs = (cpu.user + cpu.system) / 1000;
    const heldNs = Math.min(lateMs, workedMs) * 1e6;
    busyMaxNs = Math.max(busyMaxNs, heldNs);
    busySinceResetNs = Math.max(busySinceResetNs, heldNs);
    lastTick = now;
    lastCpu = process.threadCpuUsage();
  }, BUSY_TICK_MS);
  busy.unref();
  const sampler = setInterval(() => {
    const now = Date.now();
    const rss = process.memoryUsage.rss();
    slot.maxRss = Math.max(slot.maxRss, rss);
    sinceReset.maxRss = Math.max(sinceReset.maxRss, rss);
    if (now - slot.at >= SLOT_MS) closeSlot(now);
  }, SAMPLE_MS);
  sampler.unref();

  return {
    snapshot() {
      const now = Date.now();
      const rss = process.memoryUsage.rss();
      slot.maxRss = Math.max(slot.maxRss, rss);
      sinceReset.maxRss = Math.max(sinceReset.maxRss, rss);
      const current = Math.max(slot.maxBlockNs, delay.max);
      const lastHour = slots.filter((s) => s.at > now - SLOTS * SLOT_MS);
      const heap = process.memoryUsage();
      return {
        measuredAt: new Date(now).toISOString(),
        since: new Date(startedAt).toISOString(),
        memory: {
          rssMb: mb(rss),
          // maxRSS is in kibibytes, since the process started (the kernel's figure, not a sample).
          peakRssMb: mb(Math.max(process.resourceUsage().maxRSS * 1024, rss)),
          peakRssLastHourMb: mb(Math.max(slot.maxRss, ...lastHour.map((s) => s.maxRss))),
          heapUsedMb: mb(heap.heapUsed),
        },
        eventLoop: {
          maxBlockMs: ms(Math.max(maxBlockNs, current)),
          maxBlockLastHourMs: ms(Math.max(current, ...lastHour.map((s) => s.maxBlockNs))),
          maxWorkMs: ms(busyMaxNs),
          resolutionMs: RESOLUTION_MS,
        },
        sinceReset: {
          at: new Date(sinceReset.at).toISOString(),
          maxBlockMs: ms(Math.max(sinceReset.maxBlockNs, delay.max)),
          maxWorkMs: ms(busySinceResetNs),
          // Sampled each second (and at each reading): a shorter peak may be missed, unlike peakRssMb.
          peakRssMb: mb(sinceReset.maxRss),
        },
      };
    },
    reset() {
      fold();
      const rss = process.memoryUsage.rss();
      slot.maxRss = Math.max(slot.maxRss, rss);
      sinceReset = { at: Date.now(), maxBlockNs: 0, maxRss: rss };
      busySinceResetNs = 0;
    },
    stop() {
      clearInterval(sampler);
      clearInterval(busy);
      delay.disable();
    },
  };
}
