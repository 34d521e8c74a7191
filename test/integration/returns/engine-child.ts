/**
 * A finance engine in its own process, for the crash test: runs its flows back to back and prints one line per run,
 * until it is killed. Configured by FINANCE_ENGINE (JSON of FinanceEngineOptions).
 */
import { createFinanceEngine, type FinanceEngineOptions } from './engine-factory';

const options = JSON.parse(process.env.FINANCE_ENGINE ?? '{}') as FinanceEngineOptions;
const engine = createFinanceEngine(options);
process.stdout.write('ready\n');
for (;;) {
  process.stdout.write('run\n');
  const summaries = await engine.runOnce();
  process.stdout.write(`${JSON.stringify(summaries)}\n`);
}
