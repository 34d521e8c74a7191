import { z } from 'zod';

/** An absolute folder on Windows (C:\…, \\server\share\…) or POSIX (/…): the engine runs in a folder nobody chose. */
const ABSOLUTE_FOLDER = /^([A-Za-z]:[\\/]|\\\\|\/)/;

/**
 * The engine's daily copy of its ledger (docs/ledger.md): on unless switched off, into the data folder's `backups`
 * folder unless another is named (another disk or a share survives the PC's own disk), kept `keepDays` days.
 */
export const BackupSettingsSchema = z.object({
  enabled: z.boolean(),
  /** An absolute folder; null: `backups` inside the data folder. */
  folder: z.string().regex(ABSOLUTE_FOLDER, 'must be an absolute folder (C:\\Backups\\console, \\\\server\\share\\console or /var/backups/console)').nullable(),
  /** Daily copies older than this go; the newest always stays, however old. */
  keepDays: z.number().int().min(1).max(365),
});
export type BackupSettings = z.infer<typeof BackupSettingsSchema>;

export const DEFAULT_BACKUP_SETTINGS: BackupSettings = { enabled: true, folder: null, keepDays: 7 };

export const BackupSettingsPatchSchema = BackupSettingsSchema.partial();

/** What IT sees of the backups on the Overview: the last good one, a failure since, and the copies in the folder. */
export const LedgerBackupStatusSchema = z.object({
  enabled: z.boolean(),
  /** Where the copies go (resolved: the data folder's `backups` when the settings name none). */
  folder: z.string(),
  keepDays: z.number().int(),
  /** The last backup taken and checked. */
  last: z.object({ at: z.string(), file: z.string(), bytes: z.number().int().nonnegative(), ms: z.number().int().nonnegative() }).nullable(),
  /** The last attempt failed (since the last good one): when and why. */
  failure: z.object({ at: z.string(), error: z.string() }).nullable(),
  /** When the engine next looks whether a backup is due; null when backups are off or the engine is stopped. */
  nextCheckAt: z.string().nullable(),
  /** The copies in the folder, newest first (at most 100). */
  backups: z.array(z.object({ file: z.string(), at: z.string(), bytes: z.number().int().nonnegative() })),
});
export type LedgerBackupStatus = z.infer<typeof LedgerBackupStatusSchema>;
