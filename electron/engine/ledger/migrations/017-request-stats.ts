import type { Migration } from './index';

/**
 * How SAP and the marketplace answered, a minute at a time: requests, failures, total time and a histogram of
 * latencies (counts per bucket of ledger/request-stats.ts), so the Overview charts a day of p50/p95 and error rate
 * without keeping a row per request. Pruned after a week by the ledger's maintenance.
 */
export const m017RequestStats: Migration = {
  version: 17,
  name: 'request-stats',
  sql: `
CREATE TABLE request_stats (
  system TEXT NOT NULL,
  minute TEXT NOT NULL,
  requests INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  total_ms INTEGER NOT NULL,
  buckets TEXT NOT NULL,
  PRIMARY KEY (system, minute)
);
`,
};
