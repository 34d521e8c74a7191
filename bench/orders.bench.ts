import { tempDir } from '../test/support/ports';
import { startWorld, SKUS } from '../test/integration/orders/world';

/**
 * 400 marketplace orders posted to SAP with 300 ms of emulated SAP latency per Sales Order, concurrently
 * (within SAP's concurrency limit, 4) and one at a time, in the same run. Ends with one JSON line.
 */
async function measure(orders: number, latencyMs: number, concurrency: number) {
  const tmp = tempDir('orders-bench-');
  const world = await startWorld();
  try {
    const engine = world.engine({ ledgerFile: tmp.file('ledger.db'), orders: { postingConcurrency: concurrency }, sapTimeoutSeconds: 30 });
    await engine.command('orders.preflight', { createFields: true, actor: 'bench' });
    const created = world.jl.admin.createOrders({ count: orders, skus: SKUS, linesPerOrder: 2, quantities: [1, 2] });
    await engine.runOnce(); // intake and acceptance
    world.jl.admin.debitOrders();
    world.sap.addFault({ kind: 'latency', method: 'POST', path: 'Orders', ms: latencyMs });
    const started = performance.now();
    for (let i = 0; i < 10 && world.salesOrdersByOrderId().size < orders; i++) await engine.runOnce();
    const seconds = (performance.now() - started) / 1000;
    const perOrder = world.salesOrdersByOrderId();
    await engine.stop();
    return {
      seconds,
      ordersPerMinute: Math.round((orders / seconds) * 60),
      duplicates: [...perOrder.values()].filter((n) => n > 1).length,
      missing: created.filter((o) => !perOrder.has(o.orderId)).length,
    };
  } finally {
    await world.stop();
    tmp.cleanup();
  }
}

export async function run(args: string[]): Promise<void> {
  const orders = Number(args[0] ?? 400);
  const latencyMs = Number(args[1] ?? 300);
  const concurrent = await measure(orders, latencyMs, 4);
  console.log(`concurrent (4): ${orders} orders in ${concurrent.seconds.toFixed(1)} s = ${concurrent.ordersPerMinute} orders/min`);
  const serial = await measure(orders, latencyMs, 1);
  console.log(`one at a time: ${orders} orders in ${serial.seconds.toFixed(1)} s = ${serial.ordersPerMinute} orders/min`);
  console.log(
    JSON.stringify({
      orders,
      latencyMs,
      ordersPerMinute: concurrent.ordersPerMinute,
      serialOrdersPerMinute: serial.ordersPerMinute,
      ratio: Math.round((concurrent.ordersPerMinute / serial.ordersPerMinute) * 100) / 100,
      duplicates: concurrent.duplicates + serial.duplicates,
      missing: concurrent.missing + serial.missing,
    }),
  );
}
