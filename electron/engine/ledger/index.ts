import { openLedger, type Db } from './db';
import { ExceptionsRepository } from './exceptions';
import { IntentsRepository } from './intents';
import { RunsRepository } from './runs';

/** The ledger and a repository per aggregate. Flows add their own repositories beside these. */
export interface Ledger {
  db: Db;
  runs: RunsRepository;
  exceptions: ExceptionsRepository;
  intents: IntentsRepository;
  close(): void;
}

export function createLedger(file: string): Ledger {
  const db = openLedger(file);
  return {
    db,
    runs: new RunsRepository(db),
    exceptions: new ExceptionsRepository(db),
    intents: new IntentsRepository(db),
    close: () => db.close(),
  };
}
