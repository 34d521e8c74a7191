import type { Migration } from './index';

/** Runs, exceptions with their audit trail, and the outbox of intents and outcomes. */
export const m001Core: Migration = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  flow TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('schedule','manual','once')),
  started_at TEXT NOT NULL,
  ended_at TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('running','succeeded','failed','interrupted')),
  counts TEXT NOT NULL DEFAULT '{}',
  error TEXT,
  dry_run INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_flow_started ON runs (flow, started_at DESC);

CREATE TABLE exceptions (
  id INTEGER PRIMARY KEY,
  flow TEXT NOT NULL,
  type TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info','warning','error','critical')),
  record_type TEXT NOT NULL,
  record_key TEXT NOT NULL,
  summary TEXT NOT NULL,
  raw_error TEXT,
  suggested_action TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open','retrying','resolved','dismissed')),
  deadline_at TEXT,
  occurrences INTEGER NOT NULL DEFAULT 1,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
-- One live exception per problem on a record: raising it again counts an occurrence instead of a new row.
CREATE UNIQUE INDEX exceptions_live ON exceptions (flow, type, record_type, record_key) WHERE state IN ('open','retrying');
CREATE INDEX exceptions_state ON exceptions (state, last_seen_at DESC);
CREATE INDEX exceptions_record ON exceptions (record_type, record_key);

CREATE TABLE exception_actions (
  id INTEGER PRIMARY KEY,
  exception_id INTEGER NOT NULL REFERENCES exceptions(id) ON DELETE CASCADE,
  action TEXT NOT NULL CHECK (action IN ('raised','retry','correct','dismiss','resolve','reopen')),
  actor TEXT NOT NULL,
  reason TEXT,
  before_json TEXT,
  after_json TEXT,
  at TEXT NOT NULL
);
CREATE INDEX exception_actions_exception ON exception_actions (exception_id, id);

-- The outbox: every write to SAP or the marketplace is recorded before it is sent and its outcome after.
CREATE TABLE intents (
  id INTEGER PRIMARY KEY,
  flow TEXT NOT NULL,
  system TEXT NOT NULL,
  operation TEXT NOT NULL,
  record_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  outcome TEXT CHECK (outcome IN ('succeeded','failed','dry-run','found-existing')),
  outcome_at TEXT,
  external_ref TEXT,
  error TEXT
);
CREATE INDEX intents_pending ON intents (flow, outcome) WHERE outcome IS NULL;
CREATE INDEX intents_record ON intents (system, operation, record_key);
`,
};
