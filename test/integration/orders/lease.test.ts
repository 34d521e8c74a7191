import { afterEach, describe, expect, it } from 'vitest';
import { startSapEmulator, type SapEmulator } from '../../../emulators/sap-b1';
import { systemClock } from '../../../electron/engine/clock';
import { createSapConnector, type SapConnector } from '../../../electron/engine/connectors/sap-b1';
import { LEASE_FIELD, PostingLease, instanceName } from '../../../electron/engine/flows/orders/lease';
import type { OrdersRepository } from '../../../electron/engine/flows/orders/repository';
import { memoryLogger } from '../../../electron/engine/logging';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import type { Clock } from '../../../electron/engine/ports';
import { SapConnectionSchema } from '../../../shared/domain/settings';

const FIELD = `U_${LEASE_FIELD}`;
const SETTLE_MS = 300;

/** The real clock (the settle path races real HTTP), counting the settle sleeps the lease asks for. */
function countingClock(): Clock & { sleeps: number[] } {
  const inner = systemClock();
  const sleeps: number[] = [];
  return { ...inner, sleeps, sleep: (ms) => (sleeps.push(ms), inner.sleep(ms)) };
}

/** Holds every reader of the business partner until `n` have read: both consoles decide on the same state. */
function sameRead(n: number) {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const seen = new WeakSet<object>();
  return (sap: SapConnector): SapConnector => {
    const gate = async <T>(read: Promise<T>): Promise<T> => {
      const value = await read;
      if (!seen.has(sap)) {
        seen.add(sap);
        if (++waiting >= n) open();
        await opened;
      }
      return value;
    };
    return { ...sap, businessPartnerWithEtag: (c) => gate(sap.businessPartnerWithEtag(c)), businessPartner: (c) => gate(sap.businessPartner(c)) };
  };
}

describe('posting lease against the SAP emulator', () => {
  let emulator: SapEmulator;
  afterEach(() => emulator.stop());

  async function start(etags: boolean) {
    emulator = await startSapEmulator({ seed: { items: 10, warehouses: 1 }, etags });
    const setup = connector();
    await setup.createUserField({ TableName: 'OCRD', Name: LEASE_FIELD, Description: 'Orders posting lease', Size: 100 });
  }
  function connector(clock: Clock = systemClock()) {
    const connection = SapConnectionSchema.parse({ baseUrl: emulator.url, companyDb: 'SBODEMOGB', userName: 'manager', timeoutSeconds: 5 });
    return createSapConnector({ connection, password: async () => 'manager', http: createHttpClientFactory(), clock, logger: memoryLogger(), isDryRun: () => false, retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 100 } });
  }
  const repo = { recordLease: () => undefined } as unknown as OrdersRepository;
  function console_(engineId: string, wrap: (s: SapConnector) => SapConnector = (s) => s) {
    const clock = countingClock();
    const lease = new PostingLease({ sap: wrap(connector(clock)), clock, repo, engineId, cardCode: 'C-JLM', seconds: 60, settleMs: SETTLE_MS });
    return { lease, clock, name: instanceName(engineId) };
  }
  const stored = () => emulator.state.businessPartners.get('C-JLM')![FIELD] as string | undefined;
  const bpPatches = () => emulator.calls().filter((c) => c.method === 'PATCH' && c.path.includes('BusinessPartners'));

  it('ETags on: two consoles that read the same free lease race; exactly one holds, by compare-and-set, with no settle wait', async () => {
    await start(true);
    const gate = sameRead(2);
    const a = console_('pc-a', gate);
    const b = console_('pc-b', gate);
    emulator.clearCalls();
    const [ra, rb] = await Promise.all([a.lease.acquire(), b.lease.acquire()]);
    expect([ra.held, rb.held].filter(Boolean)).toHaveLength(1);
    const [winner, loser] = ra.held ? [a, b] : [b, a];
    const lost = ra.held ? rb : ra;
    // The loser reports who holds it, and believes it holds nothing.
    expect(lost.holder).toBe(winner.name);
    expect(loser.lease.holds()).toBe(false);
    expect(winner.lease.holds()).toBe(true);
    expect(stored()?.startsWith(`${winner.name}|`)).toBe(true);
    // Both sent one PATCH with the same If-Match; SAP refused the second with 412, and it was not resent.
    expect(bpPatches().map((c) => c.status).sort()).toEqual([204, 412]);
    expect([...a.clock.sleeps, ...b.clock.sleeps]).toEqual([]);
  });

  it('ETags on: 20 unsynchronised races for a free (or expired) lease, exactly one holder each time', async () => {
    await start(true);
    for (let round = 0; round < 20; round++) {
      const bp = emulator.state.businessPartners.get('C-JLM')!;
      if (round % 2) bp[FIELD] = `gone/1|${new Date(Date.now() - 1_000).toISOString()}`;
      else delete bp[FIELD];
      const consoles = [console_(`pc-a${round}`), console_(`pc-b${round}`), console_(`pc-c${round}`)];
      const results = await Promise.all(consoles.map((c) => c.lease.acquire()));
      const holders = results.filter((r) => r.held);
      expect(holders).toHaveLength(1);
      expect(stored()?.startsWith(`${holders[0]!.holder}|`)).toBe(true);
      for (const r of results) expect(r.holder).toBe(holders[0]!.holder);
    }
  });

  it('ETags on: renewal is conditional too, and survives an unrelated edit of the business partner', async () => {
    await start(true);
    const a = console_('pc-a');
    expect((await a.lease.acquire()).held).toBe(true);
    const first = stored();
    // Someone edits the partner in SAP between our read and our write: the renewal's If-Match is stale once,
    // the lease reads again, sees its own lease and renews with the new ETag.
    const sap = connector();
    let edited = false;
    const b = new PostingLease({
      sap: { ...sap, businessPartnerWithEtag: async (c) => {
        const r = await sap.businessPartnerWithEtag(c);
        if (!edited) {
          edited = true;
          await sap.patch('BusinessPartners', 'C-JLM', { Phone1: '0100' });
        }
        return r;
      } },
      clock: systemClock(), repo, engineId: 'pc-a', cardCode: 'C-JLM', seconds: 60, settleMs: SETTLE_MS,
    });
    emulator.clearCalls();
    // Asking for more than the 60 s left forces a renewal.
    const renewed = await b.acquire(70_000);
    expect(renewed.held).toBe(true);
    expect(stored()).not.toBe(first);
    expect(bpPatches().map((c) => c.status)).toEqual([204, 412, 204]);
  });

  it('ETags on: a take whose answer was lost is resent, meets its own ETag, and is read back as held', async () => {
    await start(true);
    const a = console_('pc-a');
    emulator.addFault({ kind: 'loseResponse', method: 'PATCH', path: 'BusinessPartners', times: 1 });
    emulator.clearCalls();
    const r = await a.lease.acquire();
    expect(r.held).toBe(true);
    expect(stored()?.startsWith(`${a.name}|`)).toBe(true);
    expect(bpPatches().map((c) => c.status)).toEqual([0, 412]);
  });

  it('ETags off (Service Layer before 10.0 FP 2102): the same race still leaves exactly one holder, by write, settle and read back', async () => {
    await start(false);
    const gate = sameRead(2);
    const a = console_('pc-a', gate);
    const b = console_('pc-b', gate);
    emulator.clearCalls();
    const [ra, rb] = await Promise.all([a.lease.acquire(), b.lease.acquire()]);
    expect([ra.held, rb.held].filter(Boolean)).toHaveLength(1);
    const winner = ra.held ? a : b;
    expect(stored()?.startsWith(`${winner.name}|`)).toBe(true);
    // Both wrote (no compare-and-set to refuse one) and both waited the settle time before reading back.
    expect(bpPatches().map((c) => c.status)).toEqual([204, 204]);
    expect(a.clock.sleeps).toEqual([SETTLE_MS]);
    expect(b.clock.sleeps).toEqual([SETTLE_MS]);
  });
});
