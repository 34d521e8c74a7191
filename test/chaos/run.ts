import { buildEngine } from './engine';
import { INVARIANTS, type Invariant } from './invariants';
import { describePlan, planTrial, trialSeed } from './plan';
import { runTrial, type TrialResult } from './trial';
import { startChaosWorld } from './world';

export interface ChaosSummary {
  seed: number;
  trials: number;
  /** Faults that fired, all kinds together, and by kind. */
  faults: number;
  faultsByKind: Record<string, number>;
  kills: number;
  killsByMoment: Record<string, number>;
  /** Trials in which the engine met the full disk (a ledger write refused), out of those whose disk filled. */
  fullDiskMet: number;
  fullDiskTrials: number;
  violations: number;
  byInvariant: Record<Invariant, number>;
  durationMs: number;
  failed: TrialResult[];
}

/**
 * A chaos run: the emulators and the engine's bundle made once, then `trials` trials one after the other, each from
 * its own seed (trial 0 from the run's), each printed as it ends through `report`.
 */
export async function runChaos(options: {
  trials: number;
  seed: number;
  /** These trials instead of those drawn from `seed`: replays of trials that once found a bug, as long as they were then. */
  replays?: readonly { seed: number; chaosMs: number }[];
  report?: (line: string) => void;
}): Promise<ChaosSummary> {
  const report = options.report ?? (() => undefined);
  const started = Date.now();
  const world = await startChaosWorld();
  const build = await buildEngine();
  const summary: ChaosSummary = {
    seed: options.seed,
    trials: 0,
    faults: 0,
    faultsByKind: {},
    kills: 0,
    killsByMoment: {},
    fullDiskMet: 0,
    fullDiskTrials: 0,
    violations: 0,
    byInvariant: Object.fromEntries(INVARIANTS.map((i) => [i, 0])) as Record<Invariant, number>,
    durationMs: 0,
    failed: [],
  };
  try {
    const trials = options.replays?.length ?? options.trials;
    for (let i = 0; i < trials; i++) {
      const replay = options.replays?.[i];
      const plan = replay ? planTrial(replay.seed, replay.chaosMs) : planTrial(trialSeed(options.seed, i));
      const result = await runTrial(world, build, plan);
      summary.trials++;
      for (const [kind, n] of Object.entries(result.faults)) {
        summary.faults += n;
        summary.faultsByKind[kind] = (summary.faultsByKind[kind] ?? 0) + n;
      }
      for (const [moment, n] of Object.entries(result.kills)) {
        summary.kills += n;
        summary.killsByMoment[moment] = (summary.killsByMoment[moment] ?? 0) + n;
      }
      if (result.faults['ledger disk full']) summary.fullDiskTrials++;
      if (result.fullDiskMet) summary.fullDiskMet++;
      summary.violations += result.violations.length;
      for (const v of result.violations) summary.byInvariant[v.invariant]++;
      const kills = Object.values(result.kills).reduce((a, b) => a + b, 0);
      const faults = Object.values(result.faults).reduce((a, b) => a + b, 0);
      report(
        `trial ${i + 1}/${trials} seed ${plan.seed}: ${faults} faults, ${kills} kills, ${result.settleSteps} settle steps, ${(result.durationMs / 1000).toFixed(1)} s, ${result.violations.length ? `${result.violations.length} VIOLATIONS` : 'ok'}`,
      );
      if (result.violations.length) {
        summary.failed.push(result);
        for (const line of describePlan(plan)) report(`  ${line}`);
        for (const v of result.violations) report(`  ✗ ${v.invariant}: ${v.detail}`);
        report(`  ledger and engine log kept in ${result.keptAt}; replay: npm run chaos -- --seed ${plan.seed} --trials 1`);
      }
    }
  } finally {
    build.remove();
    await world.stop();
  }
  summary.durationMs = Date.now() - started;
  return summary;
}
