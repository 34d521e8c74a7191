import { z } from 'zod';
import { LedgerBackupStatusSchema } from '../domain/ledger-backup';

export const ledgerQueries = {
  /** The ledger's daily backups, for IT on the Overview: the last good one, a failure since, the copies kept. */
  'ledger.backup': { request: z.object({}).strict(), response: LedgerBackupStatusSchema },
} as const;
