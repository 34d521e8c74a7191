import { z } from 'zod';

/**
 * The engine process measuring itself (for IT on the Overview): resident memory now and at its peak, and the longest
 * time the event loop was held in one piece, since the process started and over the last hour.
 */
export const EngineDiagnosticsSchema = z.object({
  measuredAt: z.string(),
  /** When the measuring started (the engine's start). */
  since: z.string(),
  memory: z.object({
    rssMb: z.number().nonnegative(),
    /** Since the process started. */
    peakRssMb: z.number().nonnegative(),
    peakRssLastHourMb: z.number().nonnegative(),
    heapUsedMb: z.number().nonnegative(),
  }),
  eventLoop: z.object({
    /** Since the engine started. */
    maxBlockMs: z.number().nonnegative(),
    maxBlockLastHourMs: z.number().nonnegative(),
    /**
     * Of those delays, the longest the engine's own thread spent working without yielding (the rest it waited for a CPU
     * other processes held): its longest synchronous block, since the engine started.
     */
    maxWorkMs: z.number().nonnegative(),
    /** Blocks shorter than this are not told apart from none. */
    resolutionMs: z.number().positive(),
  }),
  /** Since the engine started or the figures were last reset (engine.diagnostics.reset): start-up left out, say. */
  sinceReset: z.object({
    at: z.string(),
    maxBlockMs: z.number().nonnegative(),
    maxWorkMs: z.number().nonnegative(),
    /** Sampled each second: a shorter peak may be missed. */
    peakRssMb: z.number().nonnegative(),
  }),
});
export type EngineDiagnostics = z.infer<typeof EngineDiagnosticsSchema>;
