import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEngineProcess } from '../../electron/engine/process/node';
import { memoryLogger } from '../../electron/engine/logging';
import { HostConfigSchema } from '../../electron/host/config';
import { startHost, type Host } from '../../electron/host/run-host';
import { SettingsSchema } from '../../shared/domain/settings';
import { memorySecrets, tempDir } from '../support/ports';

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8).padStart(3, '0');

/**
 * The data folder holds customers' names and addresses (the ledger and its write-ahead log), the log and the settings:
 * on this computer's other accounts none of it may be readable. The test runs with an umask of 000, the most
 * permissive a service manager could leave, so only modes the product sets itself pass.
 */
describe.skipIf(process.platform === 'win32')('files the console writes are its user’s only (POSIX modes)', () => {
  let umask: number;
  beforeAll(() => {
    umask = process.umask(0);
  });
  afterAll(() => {
    process.umask(umask);
  });

  let host: Host | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('the headless host: a new data folder 0700; the ledger, its WAL and shared memory, the log and the settings 0600', async () => {
    const tmp = tempDir('modes-host-');
    const dataDir = path.join(tmp.dir, 'data', 'engine');
    try {
      host = await startHost({ config: { ...HostConfigSchema.parse({}), dataDir }, serveConsole: true, secrets: memorySecrets() });
      // An operator changes a setting from the console: the settings file is written.
      await host.engine.command('settings.update', { patch: { dryRun: true }, actor: 'Priya Shah' });
      await host.engine.status();
      const found = {
        folder: mode(dataDir),
        parent: mode(path.dirname(dataDir)),
        ledger: mode(path.join(dataDir, 'ledger.db')),
        wal: mode(path.join(dataDir, 'ledger.db-wal')),
        shm: mode(path.join(dataDir, 'ledger.db-shm')),
        log: mode(path.join(dataDir, 'engine.log')),
        settings: mode(path.join(dataDir, 'settings-changes.json')),
      };
      expect(found).toEqual({ folder: '700', parent: '700', ledger: '600', wal: '600', shm: '600', log: '600', settings: '600' });
    } finally {
      await host?.stop();
      host = undefined;
      tmp.cleanup();
    }
  });

  it('the headless host puts right a data folder an earlier version left readable by everyone', async () => {
    const tmp = tempDir('modes-existing-');
    const dataDir = path.join(tmp.dir, 'engine');
    try {
      mkdirSync(dataDir);
      chmodSync(dataDir, 0o755);
      for (const name of ['ledger.db', 'engine.log', 'settings-changes.json']) {
        writeFileSync(path.join(dataDir, name), name === 'settings-changes.json' ? '{}' : '');
        chmodSync(path.join(dataDir, name), 0o644);
      }
      host = await startHost({ config: { ...HostConfigSchema.parse({}), dataDir }, serveConsole: false, secrets: memorySecrets() });
      await host.engine.status();
      expect({
        folder: mode(dataDir),
        ledger: mode(path.join(dataDir, 'ledger.db')),
        log: mode(path.join(dataDir, 'engine.log')),
        settings: mode(path.join(dataDir, 'settings-changes.json')),
      }).toEqual({ folder: '700', ledger: '600', log: '600', settings: '600' });
    } finally {
      await host?.stop();
      host = undefined;
      tmp.cleanup();
    }
  });

  it('the engine process on its own (as the desktop app runs it): its ledger, WAL, shared memory and log 0600, folders it creates 0700', async () => {
    const tmp = tempDir('modes-engine-');
    const ledgerFile = path.join(tmp.dir, 'profile', 'ledger.db');
    const logFile = path.join(tmp.dir, 'profile', 'logs', 'engine.log');
    const engine = await startEngineProcess(
      { ledgerFile, log: { level: 'info', file: logFile } },
      {
        settings: { get: () => SettingsSchema.parse({}), update: async () => SettingsSchema.parse({}) },
        secrets: memorySecrets(),
        notifier: { notify: () => undefined },
        logger: memoryLogger(),
      },
    );
    try {
      await engine.status();
      expect({
        folder: mode(path.dirname(ledgerFile)),
        logs: mode(path.dirname(logFile)),
        ledger: mode(ledgerFile),
        wal: mode(`${ledgerFile}-wal`),
        shm: mode(`${ledgerFile}-shm`),
        log: mode(logFile),
      }).toEqual({ folder: '700', logs: '700', ledger: '600', wal: '600', shm: '600', log: '600' });
    } finally {
      await engine.stop();
      tmp.cleanup();
    }
  });
});
