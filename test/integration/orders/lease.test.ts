import { afterEach, describe, expect, it } from 'vitest';
import { startSapEmulator, type SapEmulator } from '../../../emulators/sap-b1';
import { systemClock } from '../../../electron/engine/clock';
import { createSapConnector } from '../../../electron/engine/connectors/sap-b1';
import { PostingLease, instanceName } from '../../../electron/engine/flows/orders/lease';
import { LEASE_TABLE } from '../../../electron/engine/connectors/sap-b1';
import type { Sap } from '../../../electron/engine/connectors/ports/sap';
import { asSap } from '../../support/sap';
import { preflight } from '../../../electron/engine/flows/orders/preflight';
import type { OrdersRepository } from '../../../electron/engine/flows/orders/repository';
import { memoryLogger } from '../../../electron/engine/logging';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import type { Clock } from '../../../electron/engine/ports';
import { DEFAULT_ORDERS_SETTINGS } from '../../../shared/domain/orders';
import { SapConnectionSchema } from '../../../shared/domain/settings';

/** Holds every reader of the lease until `n` have read: the consoles decide on the same state. */
function sameRead(n: number) {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const seen = new WeakSet<object>();
  return (sap: Sap): Sap => ({
    ...sap,
    lease: {
      ...sap.lease,
      latest: async () => {
        const term = await sap.lease.latest();
        if (!seen.has(sap)) {
          seen.add(sap);
          if (++waiting >= n) open();
          await opened;
        }
        return term;
      },
    },
  });
}

describe.each([true, false])('posting lease in a user-defined table (SAP with ETags: %s)', (etags) => {
  let emulator: SapEmulator;
  afterEach(() => emulator.stop());

  function connector(clock: Clock = systemClock()) {
    const connection = SapConnectionSchema.parse({ baseUrl: emulator.url, companyDb: 'SBODEMOGB', userName: 'manager', timeoutSeconds: 5 });
    return createSapConnector({
      connection,
      password: async () => 'manager',
      http: createHttpClientFactory(),
      clock,
      logger: memoryLogger(),
      isDryRun: () => false,
      retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
    });
  }
  async function start() {
    emulator = await startSapEmulator({ seed: { items: 10, warehouses: 1 }, etags });
    // The SAP company check creates the table and its fields, as an operator lets it do once.
    const report = await preflight(asSap(connector()), DEFAULT_ORDERS_SETTINGS, { createFields: true, dryRun: true });
    expect(report.createdFields).toEqual(expect.arrayContaining(['@JLM_LEASE', '@JLM_LEASE.U_Holder', '@JLM_LEASE.U_Until']));
  }
  const repo = { recordLease: () => undefined } as unknown as OrdersRepository;
  function console_(engineId: string, wrap: (s: Sap) => Sap = (s) => s, clock: Clock = systemClock()) {
    const lease = new PostingLease({ sap: wrap(asSap(connector(clock))), clock, repo, engineId, seconds: 60 });
    return { lease, name: instanceName(engineId) };
  }
  const rows = () => [...(emulator.state.userTables.get(LEASE_TABLE)?.rows.values() ?? [])].sort((a, b) => String(a.Code).localeCompare(String(b.Code)));
  const latest = () => rows().at(-1);
  const writes = (fragment: string) => emulator.calls().filter((c) => c.method !== 'GET' && c.path.includes(fragment));

  it('two consoles that read the same free lease race: SAP lets exactly one row in, the other is told who holds it', async () => {
    await start();
    const gate = sameRead(2);
    const a = console_('pc-a', gate);
    const b = console_('pc-b', gate);
    emulator.clearCalls();
    const [ra, rb] = await Promise.all([a.lease.acquire(), b.lease.acquire()]);
    expect([ra.held, rb.held].filter(Boolean)).toHaveLength(1);
    const [winner, loser] = ra.held ? [a, b] : [b, a];
    expect((ra.held ? rb : ra).holder).toBe(winner.name);
    expect(loser.lease.holds()).toBe(false);
    expect(winner.lease.holds()).toBe(true);
    expect(latest()).toMatchObject({ Code: '0000000001', U_Holder: winner.name });
    // Both inserted term 1; SAP refused the second copy (-2035) and it was not sent again.
    expect(
      writes(`U_${LEASE_TABLE}`)
        .map((c) => c.status)
        .sort(),
    ).toEqual([201, 400]);
  });

  it('20 unsynchronised races for a free or expired lease: exactly one holder each time', async () => {
    await start();
    for (let round = 0; round < 20; round++) {
      if (round % 2) {
        const code = String(rows().length + 1).padStart(10, '0');
        emulator.state.userTables
          .get(LEASE_TABLE)!
          .rows.set(code, { Code: code, Name: code, U_Holder: 'gone/1', U_Until: new Date(Date.now() - 1_000).toISOString() });
      }
      const consoles = [console_(`pc-a${round}`), console_(`pc-b${round}`), console_(`pc-c${round}`)];
      const results = await Promise.all(consoles.map((c) => c.lease.acquire()));
      const holders = results.filter((r) => r.held);
      expect(holders).toHaveLength(1);
      expect(latest()?.U_Holder).toBe(holders[0]!.holder);
      for (const r of results) expect(r.holder).toBe(holders[0]!.holder);
      emulator.state.userTables.get(LEASE_TABLE)!.rows.clear();
    }
  });

  it('keeping the lease never writes to the business partner: renewals update the holder’s own row, and old terms are pruned', async () => {
    await start();
    let now = Date.now();
    const clock: Clock = { ...systemClock(), now: () => now };
    const a = console_('pc-a', (s) => s, clock);
    emulator.clearCalls();
    // An hour of runs every 30 s, each renewing once half the 60 s lease is gone.
    for (let step = 0; step < 120; step++) {
      expect((await a.lease.acquire()).held).toBe(true);
      now += 30_000;
    }
    expect(writes('BusinessPartners')).toEqual([]);
    expect(rows()).toHaveLength(1);
    expect(writes(`U_${LEASE_TABLE}`).filter((c) => c.method === 'PATCH')).toHaveLength(119);
    // Another console takes over only once the lease has run out; the table keeps the last few terms.
    for (let i = 0; i < 8; i++) {
      now += 121_000;
      expect((await console_(`pc-${i}`, (s) => s, clock).lease.acquire()).held).toBe(true);
    }
    expect(rows().length).toBeLessThanOrEqual(5);
  });

  it('a take whose answer was lost is read back as held, and not taken twice', async () => {
    await start();
    const a = console_('pc-a');
    emulator.addFault({ kind: 'loseResponse', method: 'POST', path: `U_${LEASE_TABLE}`, times: 1 });
    const r = await a.lease.acquire();
    expect(r.held).toBe(true);
    expect(rows()).toHaveLength(1);
    expect(latest()?.U_Holder).toBe(a.name);
  });
});
