import { afterEach, describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/engine/ledger';
import { IntentsRepository } from '../../electron/engine/ledger/intents';
import { tempDir } from '../support/ports';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const SETTLE_MS = 2_000;
const intent = { flow: 'orders' as const, system: 'sap-b1', operation: 'create-sales-order', recordKey: '000000101-A', payload: {} };

describe('the settle time of an unanswered create is real time, whatever the wall clock does', () => {
  it('a clock set forward or back does not end or stretch it; an engine restarted waits a settle time of its own', () => {
    const tmp = tempDir('intents-settle-');
    cleanups.push(tmp.cleanup);
    const ledger = createLedger(tmp.file('ledger.db'));
    cleanups.push(() => ledger.close());
    let monotonic = 1_000;
    ledger.intents.followMonotonicClock(() => monotonic);
    const sentAt = Date.UTC(2026, 10, 30, 9, 0, 0);
    ledger.intents.record(intent, new Date(sentAt));
    const settling = (repo: IntentsRepository, wall: number) =>
      repo.settling('sap-b1', 'create-sales-order', '000000101-A', new Date(wall), SETTLE_MS) !== undefined;

    // A moment later the clock is set an hour forward: SAP may still be committing.
    monotonic += 500;
    expect(settling(ledger.intents, sentAt + 60 * 60_000)).toBe(true);
    // Set back ten minutes instead: the settle time ends when it really has passed.
    monotonic += 1_600;
    expect(settling(ledger.intents, sentAt - 10 * 60_000)).toBe(false);

    // An engine started after a crash knows only that the create is at least as old as it has been running.
    const restarted = new IntentsRepository(ledger.db);
    restarted.followMonotonicClock(() => monotonic);
    expect(settling(restarted, sentAt + 24 * 60 * 60_000)).toBe(true);
    monotonic += SETTLE_MS;
    expect(settling(restarted, sentAt + 24 * 60 * 60_000)).toBe(false);
  });
});
