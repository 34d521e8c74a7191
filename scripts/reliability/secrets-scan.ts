import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startMarketplaceEmulator } from '../../emulators/john-lewis';
import { startSapEmulator, DEFAULTS as SAP_DEFAULTS } from '../../emulators/sap-b1';
import { CONTRACT_VERSION, queries } from '../../shared/contract';

/**
 * The secrets scan: the headless host as IT runs it (`npm run engine -- --config …`, the SAP password and the
 * marketplace API key in its environment) against the emulators, with secrets no other text could contain, driven
 * from a console over its WebSocket — connection tests (one with a mistyped password), the connections saved again
 * with their secrets, every flow run, SAP sessions expired and errors from both systems — then every byte it wrote
 * or sent is searched for each secret and for every B1SESSION value SAP issued: the data folder (the ledger, its WAL
 * and shared memory, the log at debug level, the settings, the console link) while it runs and after it stops, its
 * stdout and stderr, and everything the console received.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ScannedPlace {
  place: string;
  files: number;
  bytes: number;
}
export interface SecretHit {
  place: string;
  /** Which secret (its name, never its value) and in which encoding. */
  secret: string;
  form: string;
}
export interface SecretsScanResult {
  /** The secrets looked for, by name, and how many values of each (one per B1SESSION issued). */
  secrets: Record<string, number>;
  forms: string[];
  scanned: ScannedPlace[];
  hits: SecretHit[];
  /**
   * The search itself, tried where the secrets must be found: what the console sent (the operator typed the password
   * and the key into its forms). A scan that found nothing here would be searching wrongly.
   */
  control: { place: string; bytes: number; found: string[] };
  /** What the run did, so a scan of nothing cannot pass: SAP logins, marketplace calls, console messages, flows run. */
  activity: {
    sapLogins: number;
    marketplaceCalls: number;
    consoleFramesReceived: number;
    consoleRequests: number;
    flowRuns: number;
    files: string[];
    /** Engine processes whose environment was read (0 where there is no /proc). */
    engineProcesses: number;
  };
  /** The modes of the data folder and of each file in it while the host ran (POSIX), e.g. { ".": "700", "ledger.db": "600" }. */
  modes: Record<string, string>;
}

/** The encodings a secret could be written in and still be read back by anyone who finds the file. */
export function secretForms(value: string): Record<string, Buffer> {
  const utf8 = Buffer.from(value, 'utf8');
  return {
    text: utf8,
    base64: Buffer.from(utf8.toString('base64').replace(/=+$/, '')),
    base64url: Buffer.from(utf8.toString('base64url')),
    hex: Buffer.from(utf8.toString('hex')),
    'utf-16': Buffer.from(value, 'utf16le'),
  };
}

/** Every place where any form of any secret occurs in the bytes. */
export function findSecrets(place: string, bytes: Buffer, secrets: ReadonlyMap<string, readonly string[]>): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const [name, values] of secrets)
    for (const value of values)
      for (const [form, needle] of Object.entries(secretForms(value))) {
        if (bytes.includes(needle) || (form === 'hex' && bytes.includes(Buffer.from(needle.toString().toUpperCase()))))
          hits.push({ place, secret: name, form });
      }
  return hits;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** The engine processes under the host (Linux: walks /proc for descendants running the engine's entry module). */
function engineProcesses(hostPid: number): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === hostPid) return true;
    return false;
  };
  return [...parents.keys()].filter((pid) => descends(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('electron/engine/process/entry'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSecretsScan(options: { log?: (line: string) => void } = {}): Promise<SecretsScanResult> {
  const started = Date.now();
  const log = (line: string) => options.log?.(`${((Date.now() - started) / 1000).toFixed(1)} s: ${line}`);
  const distinct = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
  const sapPassword = distinct('SapPw');
  const apiKey = distinct('JlmKey');
  const mistyped = distinct('Mistyped');
  const sessions: string[] = [];

  const sap = await startSapEmulator({
    https: true,
    password: sapPassword,
    seed: { items: 60, warehouses: 3, notNettable: 1 },
    onSession: (id) => sessions.push(id),
  });
  const marketplace = await startMarketplaceEmulator({ apiKey, config: { debitDelayMs: 0, alternativeCarriersDisabled: false } });
  const skus = [...sap.state.items.keys()];
  marketplace.admin.seedOffers(skus.map((sku, i) => ({ sku, quantity: (i * 7) % 40, price: `${(9.99 + (i % 50)).toFixed(2)}` })));
  marketplace.admin.createOrders({ count: 6, skus: skus.slice(0, 20), linesPerOrder: 2, quantities: [1, 2] });

  const work = mkdtempSync(path.join(tmpdir(), 'secrets-scan-'));
  const dataDir = path.join(work, 'data');
  const config = path.join(work, 'engine.json');
  const returnsWarehouse = [...sap.state.warehouses.values()].find((w) => w.Nettable === 'tNO')!.WarehouseCode as string;
  writeFileSync(
    config,
    JSON.stringify({
      dataDir: './data',
      // Debug: everything the engine would ever log is written, so everything is scanned.
      log: { level: 'debug', file: 'engine.log' },
      settings: {
        sap: { baseUrl: sap.url, companyDb: SAP_DEFAULTS.company, userName: SAP_DEFAULTS.user, pinnedCertificate: sap.certificate },
        marketplace: { baseUrl: marketplace.url },
        flows: {
          // The other flows are switched on from the console once SAP has its fields, and each runs once: the
          // marketplace's call windows (OR11 once a minute, RT11 once in five) are each used once, so nothing waits.
          health: { enabled: true, cadenceSeconds: 3600 },
        },
        orders: { acceptancePolicy: 'accept-all', ordersFrom: new Date(Date.now() - 3_600_000).toISOString(), warehousePriority: ['01', '02'] },
        returns: { warehouse: returnsWarehouse },
      },
      secrets: { 'sap.password': { env: 'SCAN_SAP_PASSWORD' }, 'marketplace.apiKey': { env: 'SCAN_MARKETPLACE_KEY' } },
    }),
  );

  const host = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['electron/host/cli.ts', '--config', config], {
    cwd: ROOT,
    env: { ...process.env, SCAN_SAP_PASSWORD: sapPassword, SCAN_MARKETPLACE_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: Buffer[] = [];
  host.stdout.on('data', (d: Buffer) => output.push(d));
  host.stderr.on('data', (d: Buffer) => output.push(d));
  const exited = new Promise<number | null>((resolve) => host.once('exit', (code) => resolve(code)));

  const received: Buffer[] = [];
  const sent: Buffer[] = [];
  let consoleRequests = 0;
  let flowRuns = 0;
  const snapshots: { place: string; bytes: Buffer; file: string }[] = [];
  const environments: Buffer[] = [];
  const modes: Record<string, string> = {};
  try {
    // stdout is a pipe here, so the host names the file that holds the console's link.
    const printed = /open the link in (\S+) /;
    for (let i = 0; i < 600 && !printed.test(Buffer.concat(output).toString()) && host.exitCode === null; i++) await sleep(100);
    const linkFile = printed.exec(Buffer.concat(output).toString())?.[1];
    if (!linkFile) throw new Error(`The host did not start:\n${Buffer.concat(output).toString()}`);
    const consoleUrl = new URL(readFileSync(linkFile, 'utf8').trim());

    const ws = new WebSocket(`ws://${consoleUrl.host}/api?token=${consoleUrl.searchParams.get('token')}`, { origin: consoleUrl.origin });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const waiting = new Map<number, (reply: { ok: boolean; result?: unknown }) => void>();
    ws.on('message', (data: Buffer) => {
      received.push(Buffer.from(data));
      const message = JSON.parse(data.toString()) as { kind: string; id?: number; name?: string; ok: boolean; result?: unknown };
      if (message.kind === 'event' && message.name === 'run.finished') flowRuns++;
      if (message.kind === 'reply' && message.id !== undefined) waiting.get(message.id)?.(message);
    });
    let nextId = 1;
    const ask = (kind: 'query' | 'command', name: string, payload: unknown) =>
      new Promise<{ ok: boolean; result?: unknown }>((resolve, reject) => {
        const id = nextId++;
        consoleRequests++;
        const timer = setTimeout(() => reject(new Error(`No answer to ${name}`)), 60_000);
        waiting.set(id, (reply) => (clearTimeout(timer), waiting.delete(id), resolve(reply)));
        const frame = JSON.stringify({ v: CONTRACT_VERSION, id, kind, name, payload });
        sent.push(Buffer.from(frame));
        ws.send(frame);
      });
    const settle = async () => {
      for (let i = 0; i < 240; i++) {
        const status = (await ask('query', 'status.get', {})).result as { flows: { running: boolean }[] };
        if (!status.flows.some((f) => f.running)) return;
        await sleep(250);
      }
    };
    const run = async (flow?: string) => {
      await ask('command', 'engine.runNow', flow ? { flow } : {});
      await sleep(300);
      await settle();
    };

    const sapConnection = { baseUrl: sap.url, companyDb: SAP_DEFAULTS.company, userName: SAP_DEFAULTS.user };
    log('console: connection tests, secrets saved again, user-defined fields');
    await ask('command', 'connections.testSap', { password: mistyped });
    await ask('command', 'connections.testSap', {});
    await ask('command', 'connections.saveSap', { connection: sapConnection, password: sapPassword, actor: 'Secrets scan' });
    await ask('command', 'connections.saveMarketplace', { connection: { baseUrl: marketplace.url }, apiKey, actor: 'Secrets scan' });
    await ask('command', 'connections.testMarketplace', {});
    await ask('command', 'orders.preflight', { createFields: true, actor: 'Secrets scan' });
    await settle();
    const others = ['stock', 'orders', 'despatch', 'returns'] as const;
    await ask('command', 'settings.update', {
      patch: { flows: Object.fromEntries(others.map((f) => [f, { enabled: true, cadenceSeconds: 3600 }])) },
      actor: 'Secrets scan',
    });
    // Switched on, each runs at once.
    log('every flow once');
    await sleep(500);
    await settle();
    // The health check again, within the marketplace's call windows: SAP sessions expired under it and errors from
    // both systems (a proxy's 502, the marketplace's 500 and 401), answered by a fresh login and by exceptions.
    log('errors from both systems, SAP sessions expired');
    sap.setFaults([
      { kind: 'expireSession', times: 2 },
      { kind: 'error5xx', status: 502, times: 2 },
    ]);
    marketplace.admin.setFaults({ failNext: 3, failStatus: 500 });
    await run('health');
    await ask('command', 'connections.testMarketplace', {});
    sap.setFaults([{ kind: 'expireSession', times: 1 }]);
    marketplace.admin.setFaults({ failNext: 3, failStatus: 401 });
    await run('health');
    await ask('command', 'connections.testMarketplace', {});
    sap.setFaults([]);
    marketplace.admin.setFaults({});
    await run('health');
    await ask('command', 'connections.testSap', { password: mistyped });
    log('the screens');
    // Every screen's query that needs no argument, as a console opening each screen asks.
    for (const name of Object.keys(queries)) if (queries[name as keyof typeof queries].request.safeParse({}).success) await ask('query', name, {});

    // The engine process's environment (Linux: /proc/<pid>/environ), which any process of the same user can read and a
    // crash report may carry: the engine asks the host for a secret when it needs one; it has no business holding them.
    for (const pid of engineProcesses(host.pid!)) environments.push(readFileSync(`/proc/${pid}/environ`));

    // While it runs: the ledger's write-ahead log and shared memory exist only now.
    for (const file of filesUnder(dataDir))
      snapshots.push({ place: `data folder while running: ${path.relative(dataDir, file)}`, bytes: readFileSync(file), file });
    modes['.'] = (statSync(dataDir).mode & 0o777).toString(8);
    for (const file of filesUnder(dataDir)) modes[path.relative(dataDir, file)] = (statSync(file).mode & 0o777).toString(8);
    ws.close();
  } finally {
    if (host.exitCode === null) host.kill('SIGINT');
    await exited;
    await Promise.all([sap.stop(), marketplace.stop()]);
  }
  for (const file of filesUnder(dataDir))
    snapshots.push({ place: `data folder after stopping: ${path.relative(dataDir, file)}`, bytes: readFileSync(file), file });

  const secrets = new Map<string, string[]>([
    ['SAP password', [sapPassword]],
    ['marketplace API key', [apiKey]],
    ['mistyped SAP password', [mistyped]],
    ['B1SESSION cookie', sessions],
  ]);
  const places: { place: string; group: string; bytes: Buffer }[] = [
    ...snapshots.map((s) => ({
      place: s.place,
      group: s.place.startsWith('data folder while') ? 'data folder while running' : 'data folder after stopping',
      bytes: s.bytes,
    })),
    { place: 'host stdout and stderr', group: 'host stdout and stderr', bytes: Buffer.concat(output) },
    { place: 'console WebSocket (engine to console)', group: 'console WebSocket (engine to console)', bytes: Buffer.concat(received) },
    ...environments.map((bytes) => ({ place: 'engine process environment', group: 'engine process environment', bytes })),
  ];
  const scanned = new Map<string, ScannedPlace>();
  const hits: SecretHit[] = [];
  for (const p of places) {
    const s = scanned.get(p.group) ?? { place: p.group, files: 0, bytes: 0 };
    s.files++;
    s.bytes += p.bytes.length;
    scanned.set(p.group, s);
    hits.push(...findSecrets(p.place, p.bytes, secrets));
  }
  const sentBytes = Buffer.concat(sent);
  const control = {
    place: 'console WebSocket (console to engine)',
    bytes: sentBytes.length,
    found: [...new Set(findSecrets('control', sentBytes, secrets).map((h) => h.secret))].sort(),
  };
  const result: SecretsScanResult = {
    secrets: Object.fromEntries([...secrets].map(([name, values]) => [name, values.length])),
    forms: Object.keys(secretForms('x')),
    scanned: [...scanned.values()],
    hits,
    control,
    activity: {
      sapLogins: sessions.length,
      marketplaceCalls: marketplace.state.calls.length,
      consoleFramesReceived: received.length,
      consoleRequests,
      flowRuns,
      files: [...new Set(snapshots.map((s) => path.relative(dataDir, s.file)))].sort(),
      engineProcesses: environments.length,
    },
    modes,
  };
  if (!process.env.SECRETS_SCAN_KEEP) rmSync(work, { recursive: true, force: true });
  else options.log?.(`kept ${work}`);
  return result;
}
