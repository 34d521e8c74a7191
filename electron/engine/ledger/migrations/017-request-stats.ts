import type { Migration } from './index';

/**
 * How SAP and the marketplace answered, a minute at a time: requests, failures, total time and a histogram of
 * latencies (counts per bucket of ledger/request-stats.ts), so the Overview charts a day of p50/p95 and error rate
 * without keeping a row per request. Pruned after a week by the ledger's maintenance. And indexes for the Exceptions
 * screen's severity and type filters.
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

-- The Exceptions screen filters by severity and by type within a state, newest first, on ledgers of tens of thousands.
CREATE INDEX exceptions_severity ON exceptions (state, severity, last_seen_at DESC);
CREATE INDEX exceptions_type ON exceptions (state, type, flow, last_seen_at DESC);
-- The Overview's "needs you now": live exceptions with a deadline, soonest first.
CREATE INDEX exceptions_due ON exceptions (deadline_at) WHERE deadline_at IS NOT NULL AND state IN ('open','retrying');
`,
};
