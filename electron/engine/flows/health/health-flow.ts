import type { Flow } from '../flow';

/** One system the console depends on, and how to ask it whether it answers. */
export interface SystemProbe {
  /** 'sap-b1' or 'marketplace': the record an unreachable-system exception is raised on. */
  system: string;
  label: string;
  /** Resolves with the round trip in ms when the system answers; throws with the reason when it does not. */
  check(): Promise<{ latencyMs: number; detail?: string }>;
}

/**
 * Checks every configured system each cadence, so "SAP is unreachable" reaches the tray before the
 * business flows start failing one by one. An unreachable system is an exception on that system,
 * resolved by the first check that gets through.
 */
export function healthFlow(probes: () => SystemProbe[]): Flow<'health'> {
  return {
    name: 'health',
    async run(ctx) {
      const list = probes();
      const failures: string[] = [];
      let reachable = 0;
      for (const probe of list) {
        const record = { type: 'system', key: probe.system };
        try {
          const { latencyMs } = await probe.check();
          reachable++;
          ctx.logger.info('System answered', { system: probe.system, latencyMs });
          ctx.resolve('system-unreachable', record);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.push(`${probe.label}: ${message}`);
          ctx.raise({
            type: 'system-unreachable',
            record,
            summary: `${probe.label} does not answer: nothing can sync with it until it does`,
            rawError: message,
          });
        }
      }
      if (failures.length) throw new Error(failures.join('; '));
      return { systems: list.length, reachable };
    },
  };
}
