import type { FaultRule } from '../../emulators/sap-b1/faults';
import type { Faults as MarketplaceFaults } from '../../emulators/john-lewis';

/**
 * One trial's plan, drawn from its seed alone: the same seed gives the same orders, the same faults at the same
 * moments and the same kills, so a trial that found a violation is replayed with `--seed <its seed> --trials 1`.
 * (Which run of a flow a moment lands in still depends on the machine's speed: the plan is reproduced, the
 * interleaving as closely as timing allows.)
 */
export interface TrialPlan {
  seed: number;
  /** How long faults, kills and jumps are drawn over, from the trial's start (ms). */
  chaosMs: number;
  /** SAP stock at the start, per SKU: warehouse 01 and 02 (both counted); 03 is the returns warehouse. */
  stock: { sku: string; '01': number; '02': number }[];
  orders: PlannedOrder[];
  /** The warehouse counts stock: SAP's InStock set at a moment. */
  stockCounts: { at: number; sku: string; warehouse: '01' | '02'; inStock: number }[];
  /** Finance presses "Invoice now" at these moments. */
  invoiceNow: number[];
  events: ChaosEvent[];
}

export type Aftercare = 'none' | 'return' | 'back-office-refund' | 'console-refund';

export interface PlannedOrder {
  at: number;
  lines: { sku: string; quantity: number }[];
  /** The warehouse despatches it once it is a Sales Order. */
  despatch: boolean;
  /** What the customer or customer service does once it has shipped. */
  aftercare: Aftercare;
}

export type KillMoment = 'anywhere' | 'before-landing' | 'after-landing';

export type ChaosEvent =
  | { at: number; kind: 'kill'; moment: KillMoment; system: 'sap' | 'marketplace' }
  | { at: number; kind: 'sap-fault'; name: string; rule: FaultRule }
  | { at: number; kind: 'marketplace-fault'; name: string; faults: MarketplaceFaults }
  | { at: number; kind: 'clock-jump'; offsetMs: number }
  | { at: number; kind: 'disk-full'; forMs: number };

export const SKUS = ['SKU000001', 'SKU000002', 'SKU000003', 'SKU000004'] as const;

/** mulberry32: small, fast and the same everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Trial i of a run: trial 0 has the run's own seed, so any trial replays alone as the first of a run. */
export function trialSeed(runSeed: number, index: number): number {
  return index === 0 ? runSeed >>> 0 : Math.floor(prng((runSeed ^ Math.imul(index, 0x9e3779b9)) >>> 0)() * 2 ** 32);
}

const SAP_FAULTS: { name: string; rule: (r: Rand) => FaultRule }[] = [
  { name: 'SAP 5xx', rule: (r) => ({ kind: 'error5xx', status: r.pick([500, 502, 503]), times: r.int(1, 3) }) },
  { name: 'SAP timeout, nothing done', rule: (r) => ({ kind: 'hang', method: 'POST', ms: 1_300, times: r.int(1, 2) }) },
  { name: 'SAP timeout after commit', rule: (r) => ({ kind: 'slowResponse', method: 'POST', ms: 1_300, times: r.int(1, 2) }) },
  { name: 'SAP answer lost after commit', rule: (r) => ({ kind: 'loseResponse', method: r.pick(['POST', 'PATCH']), times: r.int(1, 2) }) },
  { name: 'SAP session expired', rule: (r) => ({ kind: 'expireSession', times: r.int(1, 3) }) },
  { name: 'SAP slow responses', rule: (r) => ({ kind: 'latency', ms: r.int(100, 600), times: r.int(2, 6) }) },
  { name: 'SAP slow commit', rule: (r) => ({ kind: 'slowCommit', method: 'POST', ms: r.int(300, 1_500), times: 1 }) },
  { name: 'SAP -2039 concurrency', rule: (r) => ({ kind: 'conflict', times: r.int(1, 3) }) },
];

const MARKETPLACE_FAULTS: { name: string; faults: (r: Rand) => MarketplaceFaults }[] = [
  { name: 'marketplace 429 Retry-After', faults: (r) => ({ tooManyRequestsNext: r.int(1, 3), retryAfterSeconds: r.int(1, 2) }) },
  { name: 'marketplace 5xx', faults: (r) => ({ failNext: r.int(1, 3), failStatus: r.pick([500, 502, 503]) }) },
  { name: 'marketplace timeout', faults: () => ({ hangNext: 1 }) },
  { name: 'marketplace answer lost', faults: (r) => ({ loseAnswerNext: r.int(1, 2) }) },
  { name: 'marketplace stock import failed', faults: () => ({ failImportsNext: 1 }) },
];

export interface Rand {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function rand(seed: number): Rand {
  const next = prng(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

export function planTrial(seed: number, chaosMs = 3_200): TrialPlan {
  const r = rand(seed);
  const stock = SKUS.map((sku) => ({ sku, '01': r.int(30, 60), '02': r.int(0, 10) }));
  const orders: PlannedOrder[] = Array.from({ length: r.int(3, 6) }, () => {
    const despatch = r.chance(0.85);
    return {
      at: r.int(0, Math.round(chaosMs * 0.4)),
      lines: Array.from({ length: r.int(1, 2) }, () => ({ sku: r.pick(SKUS), quantity: r.int(1, 2) })).filter(
        (l, i, all) => all.findIndex((x) => x.sku === l.sku) === i,
      ),
      despatch,
      aftercare: despatch ? r.pick<Aftercare>(['none', 'return', 'return', 'back-office-refund', 'back-office-refund', 'console-refund']) : 'none',
    };
  });
  const stockCounts = Array.from({ length: r.int(0, 3) }, () => ({
    at: r.int(0, chaosMs),
    sku: r.pick(SKUS),
    warehouse: r.pick(['01', '02'] as const),
    inStock: r.int(25, 60),
  }));
  const invoiceNow = Array.from({ length: r.int(1, 2) }, () => r.int(Math.round(chaosMs * 0.3), chaosMs));
  const events: ChaosEvent[] = [];
  for (let i = r.int(1, 4); i > 0; i--) {
    const moment = r.pick<KillMoment>(['anywhere', 'before-landing', 'after-landing', 'after-landing']);
    events.push({ at: r.int(200, chaosMs), kind: 'kill', moment, system: r.pick(['sap', 'sap', 'marketplace'] as const) });
  }
  for (let i = r.int(1, 4); i > 0; i--) {
    const f = r.pick(SAP_FAULTS);
    events.push({ at: r.int(0, chaosMs), kind: 'sap-fault', name: f.name, rule: f.rule(r) });
  }
  for (let i = r.int(1, 3); i > 0; i--) {
    const f = r.pick(MARKETPLACE_FAULTS);
    events.push({ at: r.int(0, chaosMs), kind: 'marketplace-fault', name: f.name, faults: f.faults(r) });
  }
  for (let i = r.int(0, 2); i > 0; i--) {
    // Forward up to two hours (a laptop waking, NTP after a drift), back up to ten minutes (a person setting it right).
    const offsetMs = r.chance(0.5) ? r.int(30_000, 2 * 3_600_000) : -r.int(30_000, 10 * 60_000);
    events.push({ at: r.int(0, chaosMs), kind: 'clock-jump', offsetMs });
  }
  if (r.chance(0.35)) events.push({ at: r.int(0, Math.round(chaosMs * 0.6)), kind: 'disk-full', forMs: r.int(1_200, 3_000) });
  if (r.chance(0.3)) {
    // The clock jumps forward while SAP is still committing a create the engine gave up waiting for: the settle time
    // must not be over before SAP is.
    const at = r.int(0, Math.round(chaosMs * 0.7));
    events.push({ at, kind: 'sap-fault', name: 'SAP slow commit', rule: { kind: 'slowCommit', method: 'POST', ms: 1_500, times: 2 } });
    events.push({ at: at + r.int(100, 900), kind: 'clock-jump', offsetMs: r.int(10 * 60_000, 2 * 3_600_000) });
  }
  events.sort((a, b) => a.at - b.at);
  return { seed, chaosMs, stock, orders, stockCounts, invoiceNow: invoiceNow.sort((a, b) => a - b), events };
}

/** The plan as lines a person reads (printed with a violation, so it can be replayed and understood). */
export function describePlan(plan: TrialPlan): string[] {
  const out = [
    `seed ${plan.seed}: ${plan.orders.length} orders (${plan.orders.map((o) => `${o.despatch ? 'despatched' : 'kept'}${o.aftercare === 'none' ? '' : `+${o.aftercare}`}`).join(', ')})`,
  ];
  for (const e of plan.events) {
    const what =
      e.kind === 'kill'
        ? `SIGKILL ${e.moment === 'anywhere' ? 'at a random moment' : `on the next write to ${e.system === 'sap' ? 'SAP' : 'the marketplace'}, ${e.moment}`}`
        : e.kind === 'sap-fault'
          ? `${e.name} ${JSON.stringify(e.rule)}`
          : e.kind === 'marketplace-fault'
            ? `${e.name} ${JSON.stringify(e.faults)}`
            : e.kind === 'clock-jump'
              ? `clock set to ${e.offsetMs >= 0 ? '+' : ''}${Math.round(e.offsetMs / 1000)} s`
              : `disk full for ${e.forMs} ms`;
    out.push(`  ${String(e.at).padStart(5)} ms  ${what}`);
  }
  return out;
}
