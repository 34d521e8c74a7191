import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../electron/host/sandbox';
import { CONTRACT_VERSION, type QueryResponse } from '../../shared/contract';
import { damageTable } from '../support/ledger-damage';
import { tempDir } from '../support/ports';

function engineCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'electron/host/cli.ts', ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** What the console's Orders screen asks, over the console's own WebSocket with its token. */
async function consoleOrders(server: { url: string; consoleUrl: string }): Promise<QueryResponse<'orders.list'>> {
  const token = new URL(server.consoleUrl).searchParams.get('token')!;
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api?token=${token}`, { headers: { origin: server.url } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  try {
    const reply = await new Promise<{ ok: boolean; result: QueryResponse<'orders.list'> }>((resolve) => {
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as { kind: string; id: number; ok: boolean; result: QueryResponse<'orders.list'> };
        if (m.kind === 'reply' && m.id === 1) resolve(m);
      });
      ws.send(JSON.stringify({ v: CONTRACT_VERSION, id: 1, kind: 'query', name: 'orders.list', payload: { limit: 100 } }));
    });
    expect(reply.ok).toBe(true);
    return reply.result;
  } finally {
    ws.close();
  }
}

/**
 * The way back from a damaged ledger, as IT walks it: the console runs on its sandbox and its orders reach SAP; a
 * backup is taken while it runs; the ledger is damaged; the engine refuses to start, naming the backup; the backup is
 * restored; the console starts again and its Orders screen shows every order with its Sales Order.
 */
describe('ledger: a backup restores into a working console', () => {
  const tmp = tempDir('ledger-restore-');
  afterAll(() => tmp.cleanup());

  it('backs up while the console runs, refuses the damaged ledger, restores, and the console shows its orders again', { timeout: 240_000 }, async () => {
    const dataDir = tmp.file('data');
    mkdirSync(dataDir);
    const config = tmp.file('engine.json');
    writeFileSync(config, JSON.stringify({ dataDir }));
    const flows = { module: path.join(import.meta.dirname, '../e2e/standard-flows.ts') };

    // The console on its sandbox: the demo orders arrive and, once their customers are debited, become Sales Orders.
    const sandbox = await startSandbox({ port: 0, dataDir, items: 60, onlyFlows: ['orders'], demoIntervalMs: 250, flows });
    let before: QueryResponse<'orders.list'>;
    let backup: string;
    try {
      for (let i = 0; ; i++) {
        sandbox.marketplace.admin.debitOrders();
        await sandbox.host.engine.runNow('orders');
        await sandbox.host.engine.idle();
        before = await consoleOrders(sandbox.host.server!);
        if (before.rows.length >= 12 && before.rows.every((o) => o.docNum !== null)) break;
        if (i > 60) throw new Error('The demo orders never reached SAP');
        await sleep(250);
      }

      // A backup while the engine runs, into the folder the engine keeps its own.
      const taken = await engineCli(['backup', '--config', config, '--to', `${path.join(dataDir, 'backups')}${path.sep}`]);
      expect(taken.stderr).toBe('');
      expect(taken.code).toBe(0);
      backup = /Backed up the ledger to (\S+\.db):/.exec(taken.stdout)![1]!;
      expect(taken.stdout).toMatch(/integrity check \d+ ms: ok/);
      // The console went on meanwhile.
      await sandbox.host.engine.runNow('orders');
      await sandbox.host.engine.idle();
    } finally {
      await sandbox.stop();
    }

    // The office PC's disk fails under the ledger.
    const ledger = path.join(dataDir, 'ledger.db');
    damageTable(ledger, 'marketplace_orders');

    // Started again, the engine refuses it: what is wrong, that it will not write to it, the backup to go back to.
    const refused = await engineCli(['--config', config, '--once']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`The ledger ${ledger} is damaged`);
    expect(refused.stderr).toMatch(/Tree \d+ \(table marketplace_orders\)/);
    expect(refused.stderr).toContain('The engine does not write to a damaged ledger');
    expect(refused.stderr).toContain(`The newest backup is ${backup}`);
    expect(refused.stderr).toContain('npm run engine -- restore --config');

    const restored = await engineCli(['restore', '--config', config, '--from', backup]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`Checked ${backup}: integrity check ok`);
    const aside = readdirSync(dataDir).filter((f) => f.startsWith('ledger.db.before-restore-'));
    expect(aside).toHaveLength(1);
    expect(restored.stdout).toContain(`kept as ${path.join(dataDir, aside[0]!)}`);

    // The console again, on the restored ledger: its Orders screen shows every order with its Sales Order.
    const again = await startSandbox({ port: 0, dataDir, items: 60, onlyFlows: ['health'], demoIntervalMs: 250, flows });
    try {
      const after = await consoleOrders(again.host.server!);
      expect(after.rows.map((o) => [o.orderId, o.numAtCard, o.docNum, o.stage])).toEqual(before!.rows.map((o) => [o.orderId, o.numAtCard, o.docNum, o.stage]));
      expect(after.total).toBe(before!.total);
    } finally {
      await again.stop();
    }
    expect(existsSync(path.join(dataDir, aside[0]!))).toBe(true);
  });
});
