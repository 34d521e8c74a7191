import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/engine/ledger';
import type { Notification } from '../../electron/engine/ports';
import { memoryLogger } from '../../electron/engine/logging';
import { memorySecrets, memorySettings, tempDir } from '../support/ports';
import { buildEngine, startChaosEngine, type EngineBuild } from './engine';

/**
 * The chaos suite's full disk (full-disk.c: every write in the data folder fails with ENOSPC) on an engine process
 * started after a crash: the runs the crash cut short must be marked interrupted, and that first write fails.
 */
describe('an engine started on a full disk', () => {
  let build: EngineBuild;
  const tmp = tempDir('chaos-full-disk-');
  beforeAll(async () => (build = await buildEngine()), 120_000);
  afterAll(() => {
    build?.remove();
    tmp.cleanup();
  });

  it('starts, halted, and says why; once there is room, Run now resumes it and the cut-short run is marked so', { timeout: 60_000 }, async () => {
    expect(build.fullDisk, 'the full-disk library needs a C compiler (cc)').not.toBeNull();
    const ledgerFile = tmp.file('ledger.db');
    // The engine before was killed in the middle of a run: its run is left 'running', its write-ahead log and
    // shared-memory files are left behind (kept open here until the new engine has the ledger open).
    const before = createLedger(ledgerFile);
    before.db.prepare("INSERT INTO orders_state (key, value) VALUES ('engine_id', 'the-office-pc')").run();
    const cut = before.runs.start('orders', 'schedule', new Date(), false);

    const fullFlag = `${tmp.dir}.disk-full`;
    writeFileSync(fullFlag, '');
    const notifications: Notification[] = [];
    const host = {
      settings: memorySettings({
        sap: { baseUrl: 'http://127.0.0.1:9', companyDb: 'SBODEMOGB', userName: 'manager' },
        marketplace: { baseUrl: 'http://127.0.0.1:9' },
      } as never),
      secrets: memorySecrets({}),
      notifier: { notify: (n: Notification) => void notifications.push(n) },
      logger: memoryLogger(),
    };
    const engine = await startChaosEngine({
      build,
      ledgerFile,
      logFile: tmp.file('engine.log'),
      host,
      clockOffsetMs: 0,
      diskFull: true,
      disk: { dir: tmp.dir, fullFlag },
    });
    before.db.close();
    try {
      const status = await engine.client.status();
      expect(status.ledgerFull?.message).toMatch(/disk the ledger is on is full/);
      expect(status.health).toBe('failing');
      expect(notifications.map((n) => n.title)).toContain('Sync stopped: the disk is full');
      await expect(engine.client.runNow()).rejects.toThrow(/disk the ledger is on is full/);

      rmSync(fullFlag);
      engine.control({ type: 'chaos-disk', full: false });
      await engine.client.runNow();
      await engine.client.idle();
      expect((await engine.client.status()).ledgerFull ?? null).toBeNull();
    } finally {
      await engine.client.stop(1_000);
    }
    const after = createLedger(ledgerFile);
    expect(after.runs.list({ flow: 'orders', limit: 10 }).find((r) => r.id === cut.id)).toMatchObject({
      outcome: 'interrupted',
      error: 'The ledger’s disk was full',
    });
    expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();
  });
});
