import { systemClock } from '../electron/engine/clock';
import { createEngine } from '../electron/engine/engine';
import { standardFlows } from '../electron/engine/flows';
import { startMarketplaceEmulator } from '../emulators/john-lewis';
import { memorySecrets, tempDir, testPorts } from '../test/support/ports';

/**
 * "Test connection" to the marketplace twice within a day, with the engine restarted in between, against the
 * emulator enforcing the published maxima (A01 once a day) on the real clock: how long each answer takes, and
 * how many A01 calls reached the marketplace. Ends with one JSON line.
 */
export async function run(): Promise<void> {
  const tmp = tempDir('connections-bench-');
  const emulator = await startMarketplaceEmulator({ config: { rateLimits: true } });
  const ledgerFile = tmp.file('ledger.db');
  const start = () =>
    createEngine(
      {
        ...testPorts({ marketplace: { baseUrl: emulator.url, shopId: null, timeoutSeconds: 10 } }),
        clock: systemClock(),
        secrets: memorySecrets({ 'marketplace.apiKey': emulator.apiKey }),
      },
      { ledgerFile, buildFlows: standardFlows },
    );
  const timed = async (engine: ReturnType<typeof start>) => {
    const started = performance.now();
    const result = await engine.command('connections.testMarketplace', {});
    return { ms: Math.round(performance.now() - started), ok: result.ok, readAt: result.shop?.readAt ?? null, message: result.message };
  };
  try {
    const first = start();
    const a = await timed(first);
    await first.stop(0);
    const second = start();
    const b = await timed(second);
    const c = await timed(second);
    await second.stop(0);
    const a01 = emulator.admin
      .calls()
      .filter((x) => x.operation === 'A01')
      .map((x) => x.status);
    console.log(`first test:                    ${a.ms} ms (${a.ok ? 'ok' : a.message}), shop profile read ${a.readAt}`);
    console.log(`second test after a restart:   ${b.ms} ms (${b.ok ? 'ok' : b.message}), shop profile read ${b.readAt}`);
    console.log(`third test, same engine:       ${c.ms} ms (${c.ok ? 'ok' : c.message}), shop profile read ${c.readAt}`);
    console.log(`A01 calls reaching the marketplace: ${a01.length} (statuses ${a01.join(', ')})`);
    console.log(
      JSON.stringify({
        firstTestMs: a.ms,
        secondTestAfterRestartMs: b.ms,
        thirdTestMs: c.ms,
        a01Calls: a01.length,
        sameRead: a.readAt === b.readAt && b.readAt === c.readAt,
      }),
    );
  } finally {
    await emulator.stop();
    tmp.cleanup();
  }
}
