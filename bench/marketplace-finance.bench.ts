import { fakeClock, systemClock } from '../electron/engine/clock';
import { CallGovernor, createJohnLewisMarketplace, PUBLISHED_MAXIMA } from '../electron/engine/connectors/john-lewis';
import type { Clock } from '../electron/engine/ports';
import { createHttpClientFactory } from '../electron/engine/net/http-client';
import { drive } from '../test/integration/john-lewis/support';
import { startMarketplaceEmulator } from '../emulators/john-lewis';

/**
 * A month of 50,000 transaction lines (`-- <lines>` for another size) in the marketplace emulator, read through the
 * connector a 2,000-line page at a time: how long the emulator takes to make the month, how long reading takes in
 * compute (no allowance kept), and how long the reading is paced by TL02's published maxima (20 calls a minute, 60 an
 * hour; on a fake clock, so the pacing is counted, not waited). Ends with one JSON line.
 */
export async function run(args: string[]): Promise<void> {
  const wanted = Number(args[0] ?? 50_000);
  const emulator = await startMarketplaceEmulator();
  try {
    const generated = performance.now();
    const month = emulator.admin.simulateMonth({ lines: wanted, days: 30 });
    const generateMs = Math.round(performance.now() - generated);
    const cycleId = month.cycle!.billingCycleId;

    const connector = (clock: Clock, limits: typeof PUBLISHED_MAXIMA) =>
      createJohnLewisMarketplace({
        http: createHttpClientFactory(),
        clock,
        secrets: { get: async () => emulator.apiKey },
        connection: { baseUrl: emulator.url, shopId: null, timeoutSeconds: 60 },
        isDryRun: () => false,
        governor: new CallGovernor(clock, limits),
      });
    const readAll = async (marketplace: ReturnType<typeof connector>, wait: <T>(p: Promise<T>) => Promise<T>) => {
      let lines = 0;
      const pageMs: number[] = [];
      let pageToken: string | null = null;
      do {
        const started = performance.now();
        const page: Awaited<ReturnType<typeof marketplace.finance.transactions>> = await wait(
          marketplace.finance.transactions(pageToken ? { pageToken, limit: 2000 } : { billingCycleId: cycleId, limit: 2000 }),
        );
        pageMs.push(performance.now() - started);
        lines += page.items.length;
        pageToken = page.nextPageToken;
      } while (pageToken);
      return { lines, pageMs };
    };

    // Compute: the real clock, no allowance kept.
    const computeStarted = performance.now();
    const compute = await readAll(connector(systemClock(), {}), (p) => p);
    const readMs = Math.round(performance.now() - computeStarted);

    // Pacing: the published maxima on a fake clock.
    const clock = fakeClock();
    const pacedFrom = clock.now();
    const paced = await readAll(connector(clock, PUBLISHED_MAXIMA), (p) => drive(clock, p));
    const pacedMs = clock.now() - pacedFrom;

    const slowest = Math.round(Math.max(...compute.pageMs));
    console.log(`month made: ${month.lines} lines, ${month.orders.length} orders, ${month.refundIds.length} refunds in ${generateMs} ms`);
    console.log(`read (compute): ${compute.lines} lines in ${compute.pageMs.length} pages, ${readMs} ms (slowest page ${slowest} ms)`);
    console.log(`read (paced by TL02's maxima): ${paced.pageMs.length} calls over ${Math.round(pacedMs / 1000)} s of marketplace time`);
    console.log(
      JSON.stringify({
        lines: compute.lines,
        generateMs,
        pages: compute.pageMs.length,
        readMs,
        msPerPage: Math.round(readMs / compute.pageMs.length),
        slowestPageMs: slowest,
        linesPerSecond: Math.round(compute.lines / (readMs / 1000)),
        pacedCalls: paced.pageMs.length,
        pacedMs,
      }),
    );
  } finally {
    await emulator.stop();
  }
}
