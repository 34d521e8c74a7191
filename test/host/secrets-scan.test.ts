import { describe, expect, it } from 'vitest';
import { findSecrets, runSecretsScan, secretForms } from '../../scripts/reliability/secrets-scan';

describe('secrets scan', () => {
  it('finds a secret in each encoding it could be written in, and nothing in bytes without it', () => {
    const secrets = new Map([['SAP password', ['SapPw0123456789abcdef']]]);
    for (const [form, bytes] of Object.entries(secretForms('SapPw0123456789abcdef'))) {
      const file = Buffer.concat([Buffer.from('{"before":"'), bytes, Buffer.from('","after":1}')]);
      expect(findSecrets('a file', file, secrets)).toContainEqual({ place: 'a file', secret: 'SAP password', form });
    }
    expect(findSecrets('a file', Buffer.from('{"password":"[redacted]","hash":"SapPw0123"}'), secrets)).toEqual([]);
  });

  it(
    'the headless host run with distinctive secrets leaves none of them, nor a B1SESSION value, in its data folder, output, console traffic or engine process',
    { timeout: 240_000 },
    async () => {
      const result = await runSecretsScan();
      expect(result.hits).toEqual([]);
      // The search works on this run's own bytes: the console's forms sent the password and the key.
      expect(result.control.found).toEqual(['SAP password', 'marketplace API key', 'mistyped SAP password']);
      // And it scanned a run that did something: logins (fresh ones after SAP expired sessions), both systems called,
      // the ledger with its write-ahead log, the log, the settings and the console link, the engine's environment.
      expect(result.secrets['B1SESSION cookie']).toBeGreaterThanOrEqual(3);
      expect(result.activity.marketplaceCalls).toBeGreaterThan(10);
      expect(result.activity.flowRuns).toBeGreaterThanOrEqual(5);
      expect(result.activity.files).toEqual(['console-link.txt', 'engine.log', 'ledger.db', 'ledger.db-shm', 'ledger.db-wal', 'settings-changes.json']);
      if (process.platform === 'linux') expect(result.activity.engineProcesses).toBe(1);
      if (process.platform !== 'win32')
        expect(result.modes).toEqual({
          '.': '700',
          'console-link.txt': '600',
          'engine.log': '600',
          'ledger.db': '600',
          'ledger.db-shm': '600',
          'ledger.db-wal': '600',
          'settings-changes.json': '600',
        });
    },
  );
});
