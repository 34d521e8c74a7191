import type { AxiosInstance } from 'axios';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import type { Clock, HttpClientFactory, LogFields, Logger } from '../../../electron/engine/ports';
import { createSapConnector, type SapConnector } from '../../../electron/engine/connectors/sap-b1';
import { SapConnectionSchema, type SapConnection } from '../../../shared/domain/settings';
import { startSapEmulator, type SapEmulator, type SapEmulatorOptions } from '../../../emulators/sap-b1';

/**
 * A clock whose sleeps return at once and move virtual time on, so retries and backoff run in microseconds
 * while the delays they asked for are still recorded. The emulator shares it, so idle timeouts follow it too.
 */
export function virtualClock(start = Date.UTC(2026, 10, 26, 9, 0, 0)): Clock & { advance(ms: number): void; sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    setTimeout(callback, ms) {
      const t = setTimeout(callback, 0);
      void ms;
      return { id: Number(t[Symbol.toPrimitive]()) };
    },
    clearTimeout() {},
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
    },
  };
}

export interface CapturedLog {
  level: string;
  message: string;
  fields?: LogFields;
}

export function captureLogger(lines: CapturedLog[] = []): Logger & { lines: CapturedLog[] } {
  const make = (base: LogFields): Logger & { lines: CapturedLog[] } => ({
    lines,
    debug: (message, fields) => lines.push({ level: 'debug', message, fields: { ...base, ...fields } }),
    info: (message, fields) => lines.push({ level: 'info', message, fields: { ...base, ...fields } }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields: { ...base, ...fields } }),
    error: (message, fields) => lines.push({ level: 'error', message, fields: { ...base, ...fields } }),
    child: (fields) => make({ ...base, ...fields }),
  });
  return make({});
}

/** Wraps the real factory to count requests in flight, for the concurrency-limit test. */
export function countingFactory(inner: HttpClientFactory = createHttpClientFactory()): HttpClientFactory & { maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  return {
    maxInFlight: () => max,
    create(options) {
      const client: AxiosInstance = inner.create(options);
      client.interceptors.request.use((c) => {
        inFlight++;
        max = Math.max(max, inFlight);
        return c;
      });
      client.interceptors.response.use(
        (r) => {
          inFlight--;
          return r;
        },
        (e) => {
          inFlight--;
          return Promise.reject(e);
        },
      );
      return client;
    },
  };
}

export const PASSWORD = 'manager';

export interface Rig {
  emulator: SapEmulator;
  clock: ReturnType<typeof virtualClock>;
  logger: ReturnType<typeof captureLogger>;
  connect(overrides?: Partial<SapConnection> & { password?: string; dryRun?: boolean; http?: HttpClientFactory }): SapConnector;
  calls(method: string, pathPrefix: string): number;
}

export async function startRig(options: SapEmulatorOptions = {}): Promise<Rig> {
  const clock = virtualClock();
  const logger = captureLogger();
  const emulator = await startSapEmulator({ now: clock.now, seed: { items: 200, warehouses: 4 }, ...options });
  return {
    emulator,
    clock,
    logger,
    connect(overrides = {}) {
      const { password = PASSWORD, dryRun = false, http = createHttpClientFactory(), ...conn } = overrides;
      const connection = SapConnectionSchema.parse({ baseUrl: emulator.url, companyDb: 'SBODEMOGB', userName: 'manager', timeoutSeconds: 5, ...conn });
      return createSapConnector({ connection, password: async () => password, http, clock, logger, isDryRun: () => dryRun, random: () => 0.5 });
    },
    calls(method, pathPrefix) {
      return emulator.calls().filter((c) => c.method === method && c.path.replace(/^\/b1s\/v[12]\//, '').startsWith(pathPrefix)).length;
    },
  };
}
