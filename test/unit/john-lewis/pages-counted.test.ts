import { afterAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../../electron/engine/clock';
import { CallGovernor, PAGES_COUNTED_FOR_MS, PUBLISHED_MAXIMA } from '../../../electron/engine/connectors/john-lewis';
import { openLedger } from '../../../electron/engine/ledger/db';
import { ledgerCallStore } from '../../../electron/engine/ledger/marketplace-calls';
import { tempDir } from '../../support/ports';

describe('the order list counted page by page (decision 0404)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('follow-on pages go under their own key until a 429 says otherwise; that finding survives a restart and lapses after 30 days', async () => {
    const clock = fakeClock();
    const file = tmp.file('calls.db');
    const scope = 'https://jl.example|';
    let db = openLedger(file);
    const governor = new CallGovernor(clock, PUBLISHED_MAXIMA, { store: ledgerCallStore(db, scope, () => clock.now()) });
    expect(governor.pageKey('OR11')).toBe('OR11-page');
    expect(governor.countPages('OR11', 'OR11 429 on a follow-on page')).toBe(true);
    expect(governor.countPages('OR11', 'OR11 429 on a follow-on page')).toBe(false);
    expect(governor.pageKey('OR11')).toBe('OR11');
    db.close();

    // The engine started again: the same ledger still says so, another shop's scope does not.
    db = openLedger(file);
    const restarted = new CallGovernor(clock, PUBLISHED_MAXIMA, { store: ledgerCallStore(db, scope, () => clock.now()) });
    expect(restarted.pageKey('OR11')).toBe('OR11');
    expect(restarted.pagesCounted('OR11')).toMatchObject({ since: clock.now(), until: clock.now() + PAGES_COUNTED_FOR_MS });
    expect(new CallGovernor(clock, PUBLISHED_MAXIMA, { store: ledgerCallStore(db, 'https://other|', () => clock.now()) }).pageKey('OR11')).toBe('OR11-page');
    await clock.advance(PAGES_COUNTED_FOR_MS + 1);
    expect(restarted.pageKey('OR11')).toBe('OR11-page');
    expect(restarted.pagesCounted('OR11')).toBeNull();
    db.close();
  });
});
