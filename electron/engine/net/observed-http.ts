import type { InternalAxiosRequestConfig } from 'axios';
import type { HttpClientFactory } from '../ports';
import { DryRunBlockedError } from './errors';

/** Hears of every request a connector makes: how long it took and whether it failed (network, timeout, 5xx). */
export type RequestObserver = (system: string, ms: number, failed: boolean) => void;

const started = new WeakMap<InternalAxiosRequestConfig, number>();

/** The hosts' HTTP client factory, with every client timed for the Overview's history (ledger/request-stats.ts). */
export function observedHttp(factory: HttpClientFactory, observe: RequestObserver): HttpClientFactory {
  return {
    create(options) {
      const client = factory.create(options);
      client.interceptors.request.use((config) => {
        started.set(config, performance.now());
        return config;
      });
      const took = (config: InternalAxiosRequestConfig | undefined) => {
        const at = config ? started.get(config) : undefined;
        return at === undefined ? null : performance.now() - at;
      };
      client.interceptors.response.use(
        (response) => {
          const ms = took(response.config);
          if (ms !== null) safely(() => observe(options.system, ms, response.status >= 500));
          return response;
        },
        (error: unknown) => {
          // A write dry run refused never left this computer: nothing was asked of the other system.
          const config = (error as { config?: InternalAxiosRequestConfig }).config;
          const ms = took(config);
          if (ms !== null && !(error instanceof DryRunBlockedError)) safely(() => observe(options.system, ms, true));
          return Promise.reject(error);
        },
      );
      return client;
    },
  };
}

/** Counting a request must never fail the request. */
function safely(f: () => void): void {
  try {
    f();
  } catch {
    // The ledger was closing: this request goes uncounted.
  }
}
