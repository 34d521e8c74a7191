import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, setPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { HostConfigSchema } from '../electron/host/config';
import { startHost } from '../electron/host/run-host';
import type { SecretStore } from '../electron/engine';
import type { SecretName } from '../shared/domain/settings';
import type { BenchEmulators } from './responsiveness-emulators';
import { buildFlows } from './responsiveness-flows';

// `npm run bench -- responsiveness [--mode process|this-thread]`: issue 11's responsiveness benchmark. The
// emulators run in a process of their own with 100,000 SKUs (4 warehouses) and 200 marketplace orders waiting (the
// environment variables BENCH_SKUS and BENCH_ORDERS change those numbers); the
// headless host serves the console (one console connected over its WebSocket, taking every event) from this process
// while the engine runs a full stock cycle and, at the same time, an order intake (a run that accepts the orders,
// then one that posts them to SAP). Sampled meanwhile: the event-loop lag of this process, the one that serves the
// console, with perf_hooks.monitorEventLoopDelay (10 ms resolution) and a 10 ms setInterval that records how late
// each tick fires, and how much of that lateness the thread spent working (its own CPU time) rather than waiting for a
// CPU the machine gave to other processes. `process` is the engine in its own process (the default since issue 11);
// `this-thread` is the engine beside the console server, as before; without --mode both run, each in a fresh
// process, and the last line gives the engine-process figures with the old way's beside them. Target: max under 50 ms.

const here = import.meta.dirname;

interface Measurement {
  mode: 'process' | 'this-thread';
  skus: number;
  orders: number;
  cycleMs: number;
  maxLagMs: number;
  p99LagMs: number;
  samplerMaxLagMs: number;
  samplerP99LagMs: number;
  /** Of the latest tick, the part the console's thread spent working (the rest it waited for a CPU). */
  maxBusyLagMs: number;
  stockCounts: Record<string, number>;
  ordersPosted: number;
  eventsToConsole: number;
}

function startEmulators(): Promise<{ child: ChildProcess; emulators: BenchEmulators }> {
  const child = fork(path.join(here, 'responsiveness-emulators.ts'), [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // SAP and the marketplace run on other computers; here they share this one, so they give way as those would.
  setPriority(child.pid!, constants.priority.PRIORITY_LOW);
  return new Promise((resolve, reject) => {
    child.once('message', (emulators) => resolve({ child, emulators: emulators as BenchEmulators }));
    child.once('exit', (code) => reject(new Error(`The emulators' process ended (exit code ${code})`)));
  });
}

function stopEmulators(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const round = (ms: number) => Math.round(ms * 10) / 10;

async function measure(mode: Measurement['mode']): Promise<Measurement> {
  const { child, emulators } = await startEmulators();
  const dataDir = mkdtempSync(path.join(tmpdir(), `responsiveness-${mode}-`));
  const values = new Map<SecretName, string>([
    ['sap.password', emulators.password],
    ['marketplace.apiKey', emulators.apiKey],
  ]);
  const secrets: SecretStore = { get: async (n) => values.get(n), set: async (n, v) => void values.set(n, v), delete: async (n) => void values.delete(n) };
  const config = {
    ...HostConfigSchema.parse({
      settings: {
        sap: { baseUrl: emulators.sapUrl, companyDb: emulators.company, userName: emulators.user, timeoutSeconds: 120 },
        marketplace: { baseUrl: emulators.marketplaceUrl },
        // Hourly cadences: every run below is one the benchmark starts.
        flows: {
          health: { enabled: false, cadenceSeconds: 3600 },
          stock: { enabled: true, cadenceSeconds: 3600 },
          orders: { enabled: true, cadenceSeconds: 3600 },
          despatch: { enabled: false, cadenceSeconds: 3600 },
        },
        // Every SKU in one stock import (the default sends 50,000 a cycle): the heaviest cycle there is.
        stock: { warehouses: { include: ['01', '02', '03', '04'], exclude: [] }, maxLinesPerImport: 100_000 },
        orders: { acceptancePolicy: 'accept-all', ordersFrom: '2020-01-01T00:00:00.000Z', warehousePriority: ['01', '02', '03', '04'] },
      },
    }),
    dataDir,
  };
  const host =
    mode === 'process'
      ? await startHost({ config, serveConsole: true, secrets, flows: { module: path.join(here, 'responsiveness-flows.ts') } })
      : await startHost({ config, serveConsole: true, secrets, engineIn: 'this-thread', buildFlows });
  await host.engine.command('orders.preflight', { createFields: true, actor: 'bench' });

  // A console, connected as a browser would be, taking every event the host forwards.
  const consoleUrl = new URL(host.server!.consoleUrl);
  const socket = new WebSocket(`ws://127.0.0.1:${consoleUrl.port}/api?token=${consoleUrl.searchParams.get('token')}`);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let eventsToConsole = 0;
  socket.on('message', () => eventsToConsole++);

  // The lag of this process: the histogram, and a timer that notes how late each tick fires.
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const late: number[] = [];
  let worstBusy = 0;
  let expected = performance.now() + 10;
  let cpu = process.threadCpuUsage();
  const sampler = setInterval(() => {
    const now = performance.now();
    const lag = Math.max(0, now - expected);
    // A tick is late because this thread was working, or because the computer gave it no CPU meanwhile (other
    // processes on a shared machine): this thread's own CPU time in the interval tells the two apart.
    const used = process.threadCpuUsage(cpu);
    cpu = process.threadCpuUsage();
    worstBusy = Math.max(worstBusy, Math.min(lag, (used.user + used.system) / 1000));
    late.push(lag);
    expected = now + 10;
  }, 10);
  histogram.enable();

  const started = performance.now();
  const [stockStarted] = await Promise.all([host.engine.runNow('stock'), host.engine.runNow('orders')]);
  const intake = (async () => {
    // The first run accepts the waiting orders (debited at once); the second posts them to SAP.
    while ((await host.engine.status()).flows.find((f) => f.flow === 'orders')?.running) await new Promise((r) => setTimeout(r, 100));
    await host.engine.runNow('orders');
  })();
  await intake;
  await host.engine.idle();
  const cycleMs = performance.now() - started;

  histogram.disable();
  clearInterval(sampler);
  const runs = await host.engine.query('runs.list', {});
  const stockRun = runs.find((r) => r.flow === 'stock');
  const orderRuns = runs.filter((r) => r.flow === 'orders');
  if (!stockStarted || stockRun?.outcome !== 'succeeded' || orderRuns.some((r) => r.outcome !== 'succeeded')) {
    throw new Error(`A run did not succeed: ${JSON.stringify(runs.map((r) => ({ flow: r.flow, outcome: r.outcome, error: r.error })))}`);
  }
  const posted = await host.engine.query('orders.list', { stage: 'posted', limit: 1, offset: 0 });
  socket.close();
  await host.stop();
  await stopEmulators(child);
  rmSync(dataDir, { recursive: true, force: true });

  return {
    mode,
    skus: emulators.skus,
    orders: emulators.orders,
    cycleMs: Math.round(cycleMs),
    maxLagMs: round(histogram.max / 1e6),
    p99LagMs: round(histogram.percentile(99) / 1e6),
    samplerMaxLagMs: round(Math.max(0, ...late)),
    samplerP99LagMs: round(percentile(late, 99)),
    maxBusyLagMs: round(worstBusy),
    stockCounts: stockRun.counts as Record<string, number>,
    ordersPosted: posted.total,
    eventsToConsole,
  };
}

/** One mode in a fresh process of its own, so what one measurement leaves on the heap is not collected in the other's. */
function measureApart(mode: Measurement['mode']): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(here, 'run.ts'), ['responsiveness', '--mode', mode], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`The ${mode} measurement failed (exit code ${code}):\n${out}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Measurement);
    });
  });
}

function describe(m: Measurement): string {
  return (
    `engine ${m.mode === 'process' ? 'in its own process' : 'on the console’s thread'}: ${m.skus} SKUs and ${m.orders} orders in ${m.cycleMs} ms ` +
    `(stock ${JSON.stringify(m.stockCounts)}, ${m.ordersPosted} orders posted, ${m.eventsToConsole} events to the console); ` +
    `console process lag max ${m.maxLagMs} ms, p99 ${m.p99LagMs} ms (timer: max ${m.samplerMaxLagMs} ms, p99 ${m.samplerP99LagMs} ms; ` +
    `the console's thread itself worked at most ${m.maxBusyLagMs} ms of any late tick, the rest it waited for a CPU)`
  );
}

export async function run(args: string[]): Promise<void> {
  const only = args.includes('--mode') ? (args[args.indexOf('--mode') + 1] as Measurement['mode']) : null;
  if (only) {
    // One measurement, in this process: its description, then its figures as the last line.
    const m = await measure(only);
    console.log(describe(m));
    console.log(JSON.stringify(m));
    return;
  }
  const inItsProcess = await measureApart('process');
  const onTheThread = await measureApart('this-thread');
  for (const m of [inItsProcess, onTheThread]) console.log(describe(m));
  console.log(
    JSON.stringify({
      skus: inItsProcess.skus,
      maxLagMs: inItsProcess.maxLagMs,
      p99LagMs: inItsProcess.p99LagMs,
      cycleMs: inItsProcess.cycleMs,
      orders: inItsProcess.orders,
      maxBusyLagMs: inItsProcess.maxBusyLagMs,
      inProcessMaxLagMs: onTheThread.maxLagMs,
      inProcessP99LagMs: onTheThread.p99LagMs,
      inProcessMaxBusyLagMs: onTheThread.maxBusyLagMs,
      inProcessCycleMs: onTheThread.cycleMs,
    }),
  );
}
