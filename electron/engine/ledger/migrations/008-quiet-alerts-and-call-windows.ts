import type { Migration } from './index';

/**
 * Alerts that stop, and marketplace call windows that survive a restart.
 *
 * - An exception remembers the version of the record it is about (a short fingerprint: the order's last update,
 *   a Delivery Note's update stamp, a SKU's figure), so a dismissed one stays dismissed until that record changes,
 *   and when it alerted a person, so it alerts at most once per opening — across restarts too. Serious exceptions
 *   raised before this migration were alerted on when they were created.
 * - The marketplace connector's per-operation call history (and any wait the marketplace imposed) and its daily
 *   reads (carrier list, shop profile) are kept per connection, so a restarted engine neither calls a once-a-day
 *   operation again nor waits a day for it.
 */
export const m008QuietAlertsAndCallWindows: Migration = {
  version: 8,
  name: 'quiet-alerts-and-call-windows',
  sql: `
ALTER TABLE exceptions ADD COLUMN record_version TEXT;
ALTER TABLE exceptions ADD COLUMN notified_at TEXT;
UPDATE exceptions SET notified_at = first_seen_at WHERE severity IN ('error','critical');
-- The newest exception of a kind on a record decides whether a new occurrence is quiet (dismissed) or new.
CREATE INDEX exceptions_problem ON exceptions (flow, type, record_type, record_key, id DESC);

-- One row per marketplace connection (scope) and governed operation: the calls that still count, as epoch ms.
CREATE TABLE marketplace_call_windows (
  scope TEXT NOT NULL,
  operation TEXT NOT NULL,
  calls TEXT NOT NULL DEFAULT '[]',
  paused_until INTEGER,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (scope, operation)
);

-- Reads the marketplace allows once a day (SH21 carrier list, A01 shop profile), with when they were read.
CREATE TABLE marketplace_daily_reads (
  scope TEXT NOT NULL,
  name TEXT NOT NULL,
  read_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (scope, name)
);
`,
};
