import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { startSapEmulator, type SapEmulator } from '../../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../emulators/john-lewis';
import { tempDir } from '../support/ports';

function engineCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'electron/host/cli.ts', ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The processes still alive in a process group (ps lists them by group id). */
function groupProcesses(groupId: number): string[] {
  const { stdout } = spawnSync('ps', ['-eo', 'pgid=,pid=,args='], { encoding: 'utf8' });
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.split(/\s+/)[0] === String(groupId));
}

describe('engine CLI (headless host)', () => {
  const tmp = tempDir('cli-');
  let sap: SapEmulator;
  let marketplace: MarketplaceEmulator;
  let config: string;
  beforeAll(async () => {
    sap = await startSapEmulator({ https: true, seed: { items: 20, warehouses: 2 } });
    marketplace = await startMarketplaceEmulator();
    config = tmp.file('engine.json');
    writeFileSync(
      config,
      JSON.stringify({
        dataDir: './data',
        settings: {
          sap: { baseUrl: sap.url, companyDb: 'SBODEMOGB', userName: 'manager', pinnedCertificate: sap.certificate },
          marketplace: { baseUrl: marketplace.url },
        },
        secrets: { 'sap.password': { env: 'TEST_SAP_PASSWORD' }, 'marketplace.apiKey': { env: 'TEST_JL_KEY' } },
      }),
    );
  });
  afterAll(async () => {
    await Promise.all([sap.stop(), marketplace.stop()]);
    tmp.cleanup();
  });

  it('settlement reconciles the payouts, prints each cycle as JSON and writes the export readable by its user only', { timeout: 90_000 }, async () => {
    // A cycle of fees only (the month's subscription and a manual credit): nothing to match in SAP, so it ties out clean.
    marketplace.admin.chargeSubscription({ net: '35.00' });
    marketplace.admin.manualDocument({ kind: 'credit', net: '10.00', description: 'Goodwill' });
    const { billingCycleId, amount } = marketplace.admin.closeBillingCycle()!;
    const file = tmp.file('payouts.xlsx');
    const run = await engineCli(['settlement', '--config', config, '--json', '--cycle', billingCycleId, '--export', file], {
      TEST_SAP_PASSWORD: 'manager',
      TEST_JL_KEY: marketplace.apiKey,
    });
    expect(run.stderr).toContain(`settlement: wrote ${file}`);
    const reports = JSON.parse(run.stdout) as {
      cycle: { cycleId: string; tieOut: string; amountTransferred: string };
      totals: { netPayout: string };
      variances: number;
    }[];
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      cycle: { cycleId: billingCycleId, tieOut: 'ties', amountTransferred: amount },
      totals: { netPayout: amount },
      variances: 0,
    });
    expect(run.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
  });

  it('--once runs each enabled flow once and exits 0 when all succeeded', async () => {
    const run = await engineCli(['--config', config, '--once'], { TEST_SAP_PASSWORD: 'manager', TEST_JL_KEY: marketplace.apiKey });
    expect(run.stdout).toContain('All 1 flows succeeded.');
    expect(run.code).toBe(0);
  });

  it('--once exits non-zero with a summary when SAP refuses the password, and status shows why', async () => {
    const run = await engineCli(['--config', config, '--once'], { TEST_SAP_PASSWORD: 'wrong', TEST_JL_KEY: marketplace.apiKey });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 of 1 flows failed: health');
    expect(run.stdout).not.toContain('wrong');
    const status = await engineCli(['status', '--config', config, '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as { flows: { flow: string; lastRun: { outcome: string } }[]; openExceptions: { record: string }[] };
    expect(report.flows.find((f) => f.flow === 'health')?.lastRun.outcome).toBe('failed');
    expect(report.openExceptions.map((e) => e.record)).toEqual(['system sap-b1']);
  });

  it('on timers until Ctrl+C: the engine runs in a process of its own, and Ctrl+C stops both, leaving no process behind', { timeout: 60_000 }, async () => {
    // Its own process group, as in a terminal: Ctrl+C sends SIGINT to every process of the group at once. Started as
    // `npm run engine` starts it (tsx), without npm itself, which ends at once on SIGINT whatever its script does.
    const cli = spawn('node_modules/.bin/tsx', ['electron/host/cli.ts', '--config', config], {
      detached: true,
      env: { ...process.env, TEST_SAP_PASSWORD: 'manager', TEST_JL_KEY: marketplace.apiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    cli.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    await expect.poll(() => stdout, { timeout: 30_000 }).toContain('Engine running. Console: http://127.0.0.1:');
    // Its stdout is a pipe, not a terminal: the link with its token is in a file of the data folder while the host runs.
    const linkFile = tmp.file('data/console-link.txt');
    expect(stdout).toContain(`open the link in ${linkFile}`);
    expect(stdout).not.toContain(new URL(readFileSync(linkFile, 'utf8').trim()).searchParams.get('token'));
    const group = groupProcesses(cli.pid!);
    // tsx, the host, and the engine in a process of its own.
    expect(group.filter((p) => p.includes('electron/engine/process/entry.ts'))).toHaveLength(1);
    process.kill(-cli.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('Stopping: letting runs in flight finish…');
    expect(existsSync(linkFile)).toBe(false);
    await expect.poll(() => groupProcesses(cli.pid!), { timeout: 10_000 }).toEqual([]);
  });

  it('shows the certificate SAP presents so an operator can pin it', async () => {
    const run = await engineCli(['certificate', '--config', config]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(sap.certificate!.sha256);
  });

  it('reports a broken configuration file by field and does not start', async () => {
    const bad = tmp.file('bad.json');
    writeFileSync(bad, JSON.stringify({ settings: { sap: { baseUrl: 'not a url', companyDb: 'X', userName: 'u' } } }));
    const run = await engineCli(['--config', bad, '--once']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('settings.sap.baseUrl');
  });
});
