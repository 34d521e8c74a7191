import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock, type FakeClock } from '../../../electron/engine/clock';
import { createConnections, type Connections } from '../../../electron/engine/connectors/connections';
import { createEngine, type Engine } from '../../../electron/engine/engine';
import { standardFlows } from '../../../electron/engine/flows';
import { createLedger, type Ledger } from '../../../electron/engine/ledger';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../../emulators/john-lewis';
import { memorySecrets, tempDir, testPorts, type TestPorts } from '../../support/ports';

const MINUTE = 60_000;

/**
 * Runs work on the fake clock for at most `budgetMs` of simulated time: a call that sleeps through a day-long
 * Retry-After never settles inside it.
 */
async function within<T>(
  clock: FakeClock,
  work: Promise<T>,
  budgetMs = 10 * MINUTE,
): Promise<{ settled: true; value?: T; error?: unknown; tookMs: number } | { settled: false }> {
  const started = clock.now();
  let outcome: { value?: T; error?: unknown } | undefined;
  work.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  for (let i = 0; !outcome && clock.now() - started < budgetMs && i < 10_000; i++) {
    if (clock.pending() > 0) await clock.advance(1_000);
    else await new Promise((r) => setTimeout(r, 1));
  }
  return outcome ? { settled: true, ...outcome, tookMs: clock.now() - started } : { settled: false };
}

describe('marketplace call windows survive a restart', () => {
  const tmp = tempDir('call-windows-');
  let clock: FakeClock;
  let emulator: MarketplaceEmulator;
  const open: Ledger[] = [];
  const engines: Engine[] = [];

  beforeAll(async () => {
    clock = fakeClock();
    // The emulator enforces the published maxima: SH21 and A01 once a day, 429 with Retry-After above them.
    emulator = await startMarketplaceEmulator({ now: () => clock.now(), config: { rateLimits: true } });
    emulator.admin.seedOffers([{ sku: 'SOFA-1', quantity: 5 }]);
  });
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop(0).catch(() => undefined);
    for (const l of open.splice(0)) l.close();
  });
  afterAll(async () => {
    await emulator.stop();
    tmp.cleanup();
  });

  const portsFor = (): TestPorts => ({
    ...testPorts({ marketplace: { baseUrl: emulator.url, shopId: null, timeoutSeconds: 5 } }),
    clock,
    secrets: memorySecrets({ 'marketplace.apiKey': emulator.apiKey }),
  });

  /** The connectors an engine creates at start, over the ledger file it opens. */
  function engineConnections(ledgerFile: string): Connections {
    const ledger = createLedger(ledgerFile);
    open.push(ledger);
    const ports = portsFor();
    return createConnections({ ports, ledger, settings: () => ports.settings.get() });
  }

  const calls = (operation: string) => emulator.admin.calls().filter((c) => c.operation === operation);

  it('a restarted engine reads the carrier list from its ledger instead of calling SH21 again (and never sleeps a day for it)', async () => {
    const ledgerFile = tmp.file('restart.db');
    const before = calls('SH21').length;
    const first = engineConnections(ledgerFile);
    const listed = await within(clock, first.marketplace()!.shipping.carriers());
    expect(listed).toMatchObject({ settled: true });
    const carriers = (listed as { value: { code: string }[] }).value;
    expect(carriers.map((c) => c.code)).toContain('DPD');
    expect(calls('SH21').length - before).toBe(1);
    open.pop()!.close();

    // Restarted a few minutes later (tried on site: it asked again, got 429 Retry-After ≈ 86,000 s and slept a day).
    await clock.advance(3 * MINUTE);
    const second = engineConnections(ledgerFile);
    const again = await within(clock, second.marketplace()!.shipping.carriers());
    expect(again).toMatchObject({ settled: true, value: carriers, tookMs: 0 });
    // A refresh asked for before the day is up answers from the same read.
    expect(await within(clock, second.marketplace()!.shipping.carriers({ refresh: true }))).toMatchObject({ settled: true, value: carriers, tookMs: 0 });
    expect(calls('SH21').length - before).toBe(1);
    expect(calls('SH21').every((c) => c.status === 200)).toBe(true);
  });

  it('a Retry-After longer than a run ends the step at once with when it is next allowed, and the wait is kept across a restart', async () => {
    // An engine whose ledger knows nothing of the read another console made this morning.
    await within(clock, engineConnections(tmp.file('other-console.db')).marketplace()!.shop.info());
    const ledgerFile = tmp.file('fresh.db');
    const before = calls('A01').length;
    const result = await within(clock, engineConnections(ledgerFile).marketplace()!.shop.info());
    expect(result).toMatchObject({ settled: true, tookMs: 0 });
    const error = (result as { error: Error }).error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CallDeferredError');
    expect(error.message).toMatch(/^shop profile \(A01\) next allowed at \d{2}:\d{2}( tomorrow)? \(the marketplace answered 429 with Retry-After \d{5} s\)$/);
    expect(
      calls('A01')
        .slice(before)
        .map((c) => c.status),
    ).toEqual([429]);

    // After a restart the same engine does not ask again: it knows the marketplace's answer.
    open.pop()!.close();
    const restarted = await within(clock, engineConnections(ledgerFile).marketplace()!.shop.info());
    expect(restarted).toMatchObject({ settled: true, tookMs: 0 });
    const nextAllowed = (message: string) => /next allowed at [^(]+/.exec(message)?.[0];
    expect((restarted as { error: Error }).error.message).toMatch(
      /^shop profile \(A01\) next allowed .* \(the marketplace answered 429 and asked to wait until then\)$/,
    );
    expect(nextAllowed((restarted as { error: Error }).error.message)).toBe(nextAllowed(error.message));
    expect(calls('A01').slice(before)).toHaveLength(1);
  });

  it('a second "Test connection" within the day answers from the shop profile read by the first, and says when it was read, across a restart', async () => {
    const ledgerFile = tmp.file('test-connection.db');
    const start = () => {
      const ports = portsFor();
      const engine = createEngine(ports, { ledgerFile, buildFlows: standardFlows });
      engines.push(engine);
      return engine;
    };
    await clock.advance(24 * 60 * MINUTE); // a new day: A01 may be read once
    const before = calls('A01').length;
    const first = await within(clock, start().command('connections.testMarketplace', {}));
    expect(first).toMatchObject({ settled: true, value: { ok: true, shop: { model: 'MARKETPLACE', readAt: new Date(clock.now()).toISOString() } } });
    const readAt = (first as { value: { shop: { readAt: string } } }).value.shop.readAt;
    await engines.pop()!.stop(0);

    await clock.advance(20 * MINUTE);
    const engine = start();
    const second = await within(clock, engine.command('connections.testMarketplace', {}));
    expect(second).toMatchObject({ settled: true, tookMs: 0, value: { ok: true, shop: { model: 'MARKETPLACE', readAt } } });
    expect(
      calls('A01')
        .slice(before)
        .map((c) => c.status),
    ).toEqual([200]);
  });
});
