import { INVARIANTS } from './invariants';
import type { ChaosSummary } from './run';

/** The chaos section of docs/reliability.md: what the last full run tried and found, and how to run it again. */
export function chaosSection(s: ChaosSummary): string {
  const minutes = (s.durationMs / 60_000).toFixed(1);
  const rows = (entries: [string, number][]) => entries.map(([k, n]) => `| ${k} | ${n} |`).join('\n');
  return [
    `Written by \`npm run chaos -- --trials ${s.trials} --seed ${s.seed} --json\` (${minutes} min on the machine that ran it).`,
    '',
    '| trials | seed | faults | engine kills | violations | duration |',
    '|---|---|---|---|---|---|',
    `| ${s.trials} | ${s.seed} | ${s.faults} | ${s.kills} | ${s.violations} | ${minutes} min |`,
    '',
    'Faults that fired, by kind:',
    '',
    '| fault | fired |',
    '|---|---|',
    rows(Object.entries(s.faultsByKind).sort((a, b) => a[0].localeCompare(b[0]))),
    '',
    'Engine kills (SIGKILL), by moment:',
    '',
    '| moment | kills |',
    '|---|---|',
    rows(Object.entries(s.killsByMoment).sort((a, b) => a[0].localeCompare(b[0]))),
    '',
    'Violations, by invariant:',
    '',
    '| invariant | violations |',
    '|---|---|',
    rows(INVARIANTS.map((i) => [i, s.byInvariant[i]])),
    '',
    `To replay one trial, run \`npm run chaos -- --seed <its seed> --trials 1\`: each trial prints its seed, and a trial that`,
    'finds a violation prints its fault plan and keeps its ledger and engine log. The design: docs/decisions/0006-chaos-suite.md.',
  ].join('\n');
}
