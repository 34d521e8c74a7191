import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ledgerRuntimeProblem } from '../electron/engine';

// `npm run bench -- <name>` runs bench/<name>.bench.ts. Benchmarks are never part of the test suite; each
// prints what it measured and ends with one JSON line of figures.
const name = process.argv[2];
const here = import.meta.dirname;
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- <name>\nBenchmarks: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
// Benchmarks open ledgers: refuse a Node.js that would crash loading the ledger's SQLite module, in one line.
const runtimeProblem = ledgerRuntimeProblem();
if (runtimeProblem) {
  console.error(runtimeProblem);
  process.exit(3);
}
const bench = (await import(path.join(here, `${name}.bench.ts`))) as { run: (args: string[]) => Promise<void> };
await bench.run(process.argv.slice(3));
