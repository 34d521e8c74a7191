import { existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Notification } from '../../electron/engine/ports';
import { memoryLogger } from '../../electron/engine/logging';
import type { Faults as MarketplaceFaults } from '../../emulators/john-lewis';
import type { FaultRule } from '../../emulators/sap-b1/faults';
import { memorySecrets, memorySettings, tempDir } from '../support/ports';
import type { EngineBuild } from './engine';
import { checkLedger, checkWorld, type Violation } from './invariants';
import { TrialPeople } from './people';
import { describePlan, type ChaosEvent, type KillMoment, type TrialPlan } from './plan';
import { EngineSupervisor, withTimeout } from './supervisor';
import { RETURNS_WAREHOUSE, STOCK_BUFFER, type ChaosWorld } from './world';

export interface TrialResult {
  seed: number;
  durationMs: number;
  /** Faults that fired (not merely planned), by kind. */
  faults: Record<string, number>;
  kills: Partial<Record<KillMoment, number>>;
  /** The engine met the full disk (a ledger write of its was refused), so it had to say so. */
  fullDiskMet: boolean;
  /** Engine processes started (the first, and one after each kill or crash). */
  starts: number;
  /** Settle steps until every invariant held (or the limit). */
  settleSteps: number;
  violations: Violation[];
  /** Where the trial's ledger and log were kept (only when something was violated). */
  keptAt: string | null;
}

const TICK_MS = 100;
/** Each settle step after the first moves everyone's time on at least this much, so backoffs and settle times fall due. */
const SETTLE_STEP_MS = 3 * 60_000;
const MAX_SETTLE_STEP_MS = 30 * 60_000;
const MAX_SETTLE_STEPS = 40;
const MARKETPLACE_COUNTERS = ['failNext', 'hangNext', 'loseAnswerNext', 'tooManyRequestsNext', 'failImportsNext'] as const;

/** One trial: the plan's chaos over `plan.chaosMs`, then faults cleared and everything settled, then the invariants. */
export async function runTrial(world: ChaosWorld, build: EngineBuild, plan: TrialPlan): Promise<TrialResult> {
  const started = Date.now();
  const tmp = tempDir('chaos-trial-');
  world.resetFor(plan);
  const notifications: Notification[] = [];
  const host = {
    settings: memorySettings(engineSettings(world)),
    secrets: memorySecrets({ 'sap.password': 'manager', 'marketplace.apiKey': world.jl.apiKey }),
    notifier: { notify: (n: Notification) => void notifications.push(n) },
    logger: memoryLogger(),
  };
  const engine = new EngineSupervisor({
    build,
    ledgerFile: tmp.file('ledger.db'),
    logFile: tmp.file('engine.log'),
    host,
    worldOffsetMs: () => world.offsetMs,
    disk: { dir: tmp.dir, fullFlag: `${tmp.dir}.disk-full`, refusedMarker: `${tmp.dir}.ledger-refused`, fullStacks: `${tmp.dir}.full-stacks` },
  });
  const people = new TrialPeople(world, plan, () => engine.client);
  const kills: Partial<Record<KillMoment, number>> = {};
  const planned = new Map<string, number>();
  const fired: Record<string, number> = {};
  const violations: Violation[] = [];
  let settleSteps = 0;
  let fullDiskMet = false;

  try {
    // Day one, as an operator sets up: the SAP fields the console writes, and the carrier mapping.
    const setup = await engine.running();
    await setup.command('orders.preflight', { createFields: true, actor: 'IT' });
    await setup.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'IT' });

    const debug = process.env.CHAOS_DEBUG ? (m: string) => console.log(`  [${Date.now() - started} ms] ${m}`) : () => undefined;
    debug(`set up\n${describePlan(plan).join('\n')}`);
    // Chaos.
    let chaosOver = false;
    const due = [...plan.events];
    const diskBack: number[] = [];
    for (let elapsed = 0; elapsed < plan.chaosMs; elapsed = Date.now() - started) {
      await people.act(elapsed);
      while (due.length && due[0]!.at <= elapsed) apply(due.shift()!);
      while (diskBack.length && diskBack[0]! <= elapsed) {
        diskBack.shift();
        engine.setDiskFull(false);
      }
      if (!engine.client) await engine.running().catch(() => undefined);
      // Someone keeps pressing Run now, so a trial's few seconds hold many runs of every flow.
      void engine.client?.runNow().catch(() => undefined);
      await sleep(TICK_MS);
    }
    function apply(e: ChaosEvent): void {
      if (e.kind === 'kill') {
        if (e.moment === 'anywhere') {
          void engine.kill().then((killed) => {
            if (killed) kills.anywhere = (kills.anywhere ?? 0) + 1;
          });
        } else {
          const proxy = e.system === 'sap' ? world.sapProxy : world.jlProxy;
          proxy.arm(e.moment, async () => {
            if (chaosOver) return; // a write that began in the last moment of the chaos lands in peace
            if (await engine.kill()) kills[e.moment] = (kills[e.moment] ?? 0) + 1;
          });
        }
      } else if (e.kind === 'sap-fault') {
        planned.set(e.name, (planned.get(e.name) ?? 0) + (e.rule.times ?? 1));
        world.sap.addFault({ ...e.rule, __name: e.name } as FaultRule);
      } else if (e.kind === 'marketplace-fault') {
        const now = world.jl.state.faults;
        const merged: MarketplaceFaults = { ...now, ...e.faults };
        for (const k of MARKETPLACE_COUNTERS) if (e.faults[k]) merged[k] = (now[k] ?? 0) + e.faults[k]!;
        world.jl.admin.setFaults(merged);
        for (const k of MARKETPLACE_COUNTERS) if (e.faults[k]) planned.set(`${e.name}|${k}`, (planned.get(`${e.name}|${k}`) ?? 0) + e.faults[k]!);
      } else if (e.kind === 'clock-jump') {
        engine.setClockSkew(e.offsetMs);
        const name = e.offsetMs >= 0 ? 'clock jumped forward' : 'clock jumped back';
        fired[name] = (fired[name] ?? 0) + 1;
      } else {
        engine.setDiskFull(true);
        diskBack.push(e.at + e.forMs);
        fired['ledger disk full'] = (fired['ledger disk full'] ?? 0) + 1;
      }
    }

    debug('chaos over');
    // Faults cleared, space back, nobody killing: what fired is what was planned less what is left.
    chaosOver = true;
    countFired(world, planned, fired);
    world.sap.setFaults([]);
    world.jl.admin.setFaults({});
    world.sapProxy.disarm();
    world.jlProxy.disarm();
    engine.setDiskFull(false);

    // Everything settles: the people finish what they started, finance invoices, time passes.
    for (settleSteps = 1; settleSteps <= MAX_SETTLE_STEPS; settleSteps++) {
      const client = await engine.running();
      await people.act(Infinity);
      await people.invoiceNow();
      // Refused while the engine still finds the disk full; then it tries the disk at once, and runs.
      await client.runNow().catch(() => undefined);
      await withTimeout(client.idle(), 60_000, 'the engine did not finish its runs');
      await people.act(Infinity);
      const left = checkWorld(world, people.orders, tmp.file('ledger.db'));
      debug(`settle step ${settleSteps}: ${left.map((x) => x.detail).join('; ')}`);
      if (left.length === 0) break;
      if (settleSteps >= 2) {
        // Three minutes, then longer each step (up to half an hour): a job's doubling backoff falls due in a few steps.
        world.advance(Math.min(MAX_SETTLE_STEP_MS, SETTLE_STEP_MS * 2 ** Math.floor((settleSteps - 2) / 2)));
        engine.syncClock();
      }
    }
    debug(`notifications: ${notifications.map((n) => n.title).join(' / ')}`);
    const status = await (await engine.running()).status();
    // Told only if the engine met the full disk (a disk that filled while every run waited on SAP went unnoticed), and
    // lived to tell it: a process killed the moment its write was refused could not.
    const refused = refusals(`${tmp.dir}.ledger-refused`);
    fullDiskMet = refused.length > 0;
    debug(`ledger writes refused: ${refused.length}; from: ${readStacks(`${tmp.dir}.full-stacks`).join(' || ')}`);
    const toldBy = refused.filter((r) => (engine.endedAt.get(r.pid) ?? Date.now()) - r.at >= TELL_WITHIN_MS);
    if (fired['ledger disk full'] && toldBy.length)
      violations.push(...checkFullDiskTold(notifications, status.ledgerFull ?? null, readStacks(`${tmp.dir}.full-stacks`)));
    await engine.stop();
    debug('stopped');
    violations.push(...checkWorld(world, people.orders, tmp.file('ledger.db')), ...checkLedger(tmp.file('ledger.db')));
  } catch (error) {
    violations.push({ invariant: 'engine-keeps-running', detail: `the trial could not finish: ${error instanceof Error ? error.message : String(error)}` });
    await engine.kill().catch(() => undefined);
  }
  for (const crash of engine.crashes) violations.push({ invariant: 'engine-keeps-running', detail: crash });
  for (const sibling of ['.disk-full', '.ledger-refused', '.full-stacks']) rmSync(`${tmp.dir}${sibling}`, { force: true });
  const keptAt = violations.length || process.env.CHAOS_DEBUG ? tmp.dir : null;
  if (!keptAt) tmp.cleanup();
  return { seed: plan.seed, durationMs: Date.now() - started, faults: fired, kills, fullDiskMet, starts: engine.starts, settleSteps, violations, keptAt };
}

/** How long a process that met the full disk has to say so before its death excuses it (the alert crosses a pipe). */
const TELL_WITHIN_MS = 300;

/** The ledger writes full-disk.c refused: when, and by which engine process. */
function refusals(marker: string): { at: number; pid: number }[] {
  if (!existsSync(marker)) return [];
  return readFileSync(marker, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [at, pid] = line.split(' ').map(Number);
      return { at: at!, pid: pid! };
    });
}

/** Where the engine's refused writes came from (distinct call sites). */
function readStacks(file: string): string[] {
  return existsSync(file) ? [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))].slice(0, 5) : [];
}

/** The disk filled up: the engine said so in its own words (the tray's notification), and has since resumed. */
function checkFullDiskTold(notifications: readonly Notification[], stillFull: { message: string } | null, stacks: string[]): Violation[] {
  const out: Violation[] = [];
  if (!notifications.some((n) => n.title === 'Sync stopped: the disk is full' && n.severity === 'critical'))
    out.push({
      invariant: 'full-disk-told-and-resumed',
      detail: `the ledger's disk was full and no one was told (notifications: ${notifications.map((n) => n.title).join(' / ') || 'none'}; the refused writes came from: ${stacks.join(' || ') || 'no statement (a commit)'})`,
    });
  if (stillFull) out.push({ invariant: 'full-disk-told-and-resumed', detail: `the disk has room again, yet the engine still says: ${stillFull.message}` });
  return out;
}

function countFired(world: ChaosWorld, planned: Map<string, number>, fired: Record<string, number>): void {
  const left = new Map<string, number>();
  for (const rule of world.sap.faults() as (FaultRule & { __name?: string })[])
    if (rule.__name) left.set(rule.__name, (left.get(rule.__name) ?? 0) + (rule.times ?? 0));
  const jl = world.jl.state.faults;
  for (const [key, n] of planned) {
    const [name, counter] = key.split('|') as [string, (typeof MARKETPLACE_COUNTERS)[number] | undefined];
    const remaining = Math.min(n, counter ? (jl[counter] ?? 0) : (left.get(name) ?? 0));
    if (n - remaining > 0) fired[name] = (fired[name] ?? 0) + n - remaining;
  }
}

/** The settings an operator would give this console: every flow but payouts on a one-second cadence, short timeouts. */
function engineSettings(world: ChaosWorld) {
  const every = (cadenceSeconds: number) => ({ enabled: true, cadenceSeconds });
  return {
    sap: {
      baseUrl: world.sapProxy.url,
      serviceLayerVersion: 'v2' as const,
      companyDb: 'SBODEMOGB',
      userName: 'manager',
      pinnedCertificate: null,
      maxConcurrency: 4,
      timeoutSeconds: 1,
    },
    marketplace: { baseUrl: world.jlProxy.url, shopId: null, timeoutSeconds: 1 },
    flows: {
      health: every(5),
      orders: every(1),
      stock: every(1),
      despatch: every(1),
      invoicing: every(1),
      returns: every(1),
      settlement: { enabled: false, cadenceSeconds: 3600 },
    },
    orders: { acceptancePolicy: 'accept-all', ordersFrom: new Date(world.now() - 60_000).toISOString(), createSettleSeconds: 1 },
    stock: { buffer: STOCK_BUFFER },
    returns: { warehouse: RETURNS_WAREHOUSE },
    invoicing: { runAt: '00:00' },
  } as never;
}
