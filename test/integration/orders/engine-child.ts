/**
 * An orders engine in its own process, for the crash test: runs the orders flow back to back and prints one
 * line per run, until it is killed. Configured by ORDERS_ENGINE (JSON of OrdersEngineOptions).
 */
import { createOrdersEngine, type OrdersEngineOptions } from './engine-factory';

const options = JSON.parse(process.env.ORDERS_ENGINE ?? '{}') as OrdersEngineOptions;
const engine = createOrdersEngine(options);
process.stdout.write('ready\n');
for (;;) {
  process.stdout.write('run\n');
  const [summary] = await engine.runOnce();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
