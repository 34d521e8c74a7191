/**
 * An invoicing engine in its own process, for the crash test: runs its flows back to back and prints one line per
 * run, until it is killed. Configured by INVOICING_ENGINE (JSON of InvoicingEngineOptions).
 */
import { createInvoicingEngine, type InvoicingEngineOptions } from './engine-factory';

const options = JSON.parse(process.env.INVOICING_ENGINE ?? '{}') as InvoicingEngineOptions;
const engine = createInvoicingEngine(options);
process.stdout.write('ready\n');
for (;;) {
  process.stdout.write('run\n');
  const [summary] = await engine.runOnce();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  // A run with nothing due takes a millisecond: a breath between runs keeps the loop from spinning.
  await new Promise((r) => setTimeout(r, 50));
}
