import type { Flow, FlowDeps } from '../../electron/engine';

/** What the engine-process tests ask of the stand-in flow (sent across the port with the init message). */
export interface ProbeOptions {
  /** Busy the engine's thread this long, synchronously, on each run (a big SQLite transaction, a big stock cycle). */
  blockMs?: number;
}

/**
 * The flows an engine process builds for the engine-process tests: one stand-in health check that asks the host for
 * the SAP password (a call back across the port), raises a critical exception when it is wrong (a notification
 * back), and can keep the engine's thread busy.
 */
export function buildFlows(deps: FlowDeps, options: ProbeOptions = {}): Flow[] {
  return [
    {
      name: 'health',
      async run(ctx) {
        const password = await deps.ports.secrets.get('sap.password');
        if (options.blockMs) {
          const until = Date.now() + options.blockMs;
          while (Date.now() < until) {
            // Synchronous work: nothing else runs on this thread meanwhile.
          }
        }
        const record = { type: 'system', key: 'sap-b1' };
        if (password !== 'manager') {
          ctx.raise({
            type: 'system-unreachable',
            record,
            summary: 'SAP refused the password',
            rawError: 'Fail to get DB Credentials from SLD',
            action: 'Type the SAP password again in Connections.',
          });
          throw new Error('SAP refused the password');
        }
        ctx.resolve('system-unreachable', record);
        return { read: 1 };
      },
    },
  ];
}
