/**
 * `npm run chaos -- [--trials N] [--seed S] [--json] [--write-doc]`: trials of engine kills, SAP and marketplace faults,
 * clock jumps and a full ledger disk in every flow, then the invariants (docs/decisions/0006-chaos-suite.md). Prints
 * each trial as it ends; with --json the last line is the summary as JSON. A run of 500 trials or more writes its
 * figures into docs/reliability.md (the chaos section); --write-doc writes them from a shorter run too.
 */
import { parseArgs } from 'node:util';
import { ledgerRuntimeProblem } from '../../electron/engine';
import { runChaos } from './run';
import { chaosSection } from './report';
import { writeReliabilitySection } from '../../scripts/reliability/doc-sections';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '20' },
    seed: { type: 'string' },
    json: { type: 'boolean', default: false },
    'write-doc': { type: 'boolean', default: false },
  },
});
const problem = ledgerRuntimeProblem();
if (problem) {
  console.error(problem);
  process.exit(3);
}
const trials = Number(values.trials);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 32) : Number(values.seed);
if (!Number.isInteger(trials) || trials < 1 || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
  console.error('Usage: npm run chaos -- [--trials N (1 or more)] [--seed S (0 to 4294967295)] [--json] [--write-doc]');
  process.exit(2);
}
console.log(`chaos: ${trials} trials from seed ${seed}`);
const summary = await runChaos({ trials, seed, report: (line) => console.log(line) });
console.log(
  `chaos: ${summary.trials} trials, ${summary.faults} faults, ${summary.kills} kills, ${summary.violations} violations in ${(summary.durationMs / 60_000).toFixed(1)} min (seed ${seed})`,
);
if (trials >= 500 || values['write-doc']) {
  await writeReliabilitySection('chaos', chaosSection(summary));
  console.log('chaos: docs/reliability.md (chaos section) written');
}
if (values.json) {
  const { trials: t, faults, kills, violations, byInvariant } = summary;
  console.log(JSON.stringify({ trials: t, faults, kills, violations, byInvariant, seed, faultsByKind: summary.faultsByKind, durationMs: summary.durationMs }));
}
process.exit(summary.violations ? 1 : 0);
