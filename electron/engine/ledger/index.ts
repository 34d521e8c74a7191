import { openLedger, type Db } from './db';
import { Bindings } from './bindings';
import { Timeline } from './timeline';
import { ExceptionsRepository } from './exceptions';
import { IntentsRepository } from './intents';
import { JobsRepository } from './jobs';
import { RequestStats } from './request-stats';
import { RunsRepository } from './runs';

/** The ledger and a repository per aggregate. Flows add their own repositories beside these. */
export interface Ledger {
  db: Db;
  runs: RunsRepository;
  exceptions: ExceptionsRepository;
  intents: IntentsRepository;
  /** Work per record that failed for a technical reason: attempts, backoff, giving up. */
  jobs: JobsRepository;
  /** Which record here is which record there, for every flow. */
  bindings: Bindings;
  /** What happened to a record, whichever flow did it. */
  timeline: Timeline;
  /** How SAP and the marketplace answered, a minute at a time (the Overview's history). */
  requestStats: RequestStats;
  close(): void;
}

export function createLedger(file: string): Ledger {
  const db = openLedger(file);
  const requestStats = new RequestStats(db);
  return {
    db,
    runs: new RunsRepository(db),
    exceptions: new ExceptionsRepository(db),
    intents: new IntentsRepository(db),
    jobs: new JobsRepository(db),
    bindings: new Bindings(db),
    timeline: new Timeline(db),
    requestStats,
    close: () => {
      try {
        requestStats.flush();
      } catch {
        // A minute of request counts that cannot be written (a full disk) is not worth leaving the ledger open for.
      }
      db.close();
    },
  };
}
