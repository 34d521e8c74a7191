import { INVARIANTS } from './invariants';
import type { ChaosSummary } from './run';

/** The kill moments as the page says them. */
const MOMENTS: Record<string, string> = {
  anywhere: 'at a random moment',
  'before-landing': 'as a write reached SAP or the marketplace (it still lands)',
  'after-landing': 'after a write landed, before its answer reached the engine',
};

/** The chaos section of docs/reliability.md: what the last full run tried and found, and how to run it again. */
export function chaosSection(s: ChaosSummary): string {
  const minutes = (s.durationMs / 60_000).toFixed(1);
  const rows = (entries: [string, number][]) => entries.map(([k, n]) => `| ${k} | ${n} |`).join('\n');
  return [
    `Written by \`npm run chaos -- --trials ${s.trials} --seed ${s.seed} --json\`. What a trial is, the invariants and the`,
    'bugs the suite found: [decision 0006](decisions/0006-chaos-suite.md).',
    '',
    '| trials | seed | faults fired | engine kills (SIGKILL) | violations | duration |',
    '|---|---|---|---|---|---|',
    `| ${s.trials} | ${s.seed} | ${s.faults} | ${s.kills} | ${s.violations} | ${minutes} min |`,
    '',
    '| fault | fired |',
    '|---|---|',
    rows(Object.entries(s.faultsByKind).sort((a, b) => a[0].localeCompare(b[0]))),
    '',
    `The ledger's disk filled in ${s.fullDiskTrials} trials; in ${s.fullDiskMet} of them the engine met it (a commit failed) and had to say so.`,
    '',
    '| engine killed | kills |',
    '|---|---|',
    rows(Object.keys(MOMENTS).map((m) => [MOMENTS[m]!, s.killsByMoment[m] ?? 0])),
    '',
    '| invariant | violations |',
    '|---|---|',
    rows(INVARIANTS.map((i) => [i, s.byInvariant[i]])),
    '',
    'Each trial prints its seed; a trial that breaks an invariant also prints its plan of faults and keeps its ledger and',
    'engine log. Replay it with `npm run chaos -- --seed <its seed> --trials 1`: the same orders, faults, kills and jumps at',
    'the same moments (which run of a flow a moment lands in still depends on the machine).',
  ].join('\n');
}
