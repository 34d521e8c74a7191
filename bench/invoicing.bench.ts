import { tempDir } from '../test/support/ports';
import { startInvoicingWorld } from '../test/integration/invoicing/world';

/**
 * Delivered marketplace orders invoiced in SAP by one "run now" (batches of 50), with 300 ms of emulated latency on
 * every SAP request. The orders are posted and delivered first, without latency; only the invoicing is measured:
 * how long per invoice and how many SAP requests each took. Ends with one JSON line.
 */
export async function run(args: string[]): Promise<void> {
  const orders = Number(args[0] ?? 60);
  const latencyMs = Number(args[1] ?? 300);
  const tmp = tempDir('invoicing-bench-');
  const world = await startInvoicingWorld();
  try {
    const engine = world.engine({ ledgerFile: tmp.file('ledger.db'), sapTimeoutSeconds: 30 });
    await engine.command('orders.preflight', { createFields: true, actor: 'bench' });
    const ids = await world.deliveredOrders(engine, orders, { linesPerOrder: 2, quantities: [1, 2] });

    world.sap.clearCalls();
    world.sap.addFault({ kind: 'latency', ms: latencyMs });
    const started = performance.now();
    await engine.command('invoicing.runNow', { actor: 'bench' });
    await engine.idle();
    const ms = performance.now() - started;

    const perOrder = world.invoicesByOrderId();
    const invoices = ids.filter((id) => perOrder.get(id)?.length === 1).length;
    const duplicates = ids.filter((id) => (perOrder.get(id)?.length ?? 0) > 1).length;
    const calls = world.sap.calls();
    const byKind = new Map<string, number>();
    for (const c of calls) {
      const kind = `${c.method} ${c.path.replace(/^\/b1s\/v[12]\//, '').replace(/[(?].*$/, '')}`;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    const batches = await engine.query('invoicing.batches', {});
    await engine.stop();

    console.log(`${invoices} of ${orders} orders invoiced in ${(ms / 1000).toFixed(1)} s at ${latencyMs} ms per SAP request, in ${batches.total} batches`);
    console.log(`SAP requests: ${calls.length} (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})`);
    if (duplicates) console.log(`duplicates: ${duplicates}`);
    console.log(
      JSON.stringify({
        invoices,
        msPerInvoice: Math.round(ms / Math.max(1, invoices)),
        requestsPerInvoice: Math.round((calls.length / Math.max(1, invoices)) * 100) / 100,
      }),
    );
  } finally {
    await world.stop();
    tmp.cleanup();
  }
}
