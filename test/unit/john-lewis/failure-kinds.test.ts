import { describe, expect, it } from 'vitest';
import { MarketplaceError, MarketplaceNotConfiguredError } from '../../../electron/engine/connectors/john-lewis/errors';

/** How a failed marketplace call reads to the flows and the job queue: refused as it stands, or the connection's fault. */
describe('marketplace failures as the flows see them', () => {
  const failure = (status: number | null, transient: boolean) => new MarketplaceError('OR23', status, 'failed', null, transient);
  const kinds = (e: MarketplaceError) => ({ refused: e.refused, unreachable: e.unreachable });

  it('a 400 or 404 refuses the request; network, gateway, 401 and 429 are the connection; a 403 and a 500 are neither', () => {
    expect(kinds(failure(400, false))).toEqual({ refused: true, unreachable: false });
    expect(kinds(failure(404, false))).toEqual({ refused: true, unreachable: false });
    expect(kinds(failure(null, true))).toEqual({ refused: false, unreachable: true });
    expect(kinds(failure(503, true))).toEqual({ refused: false, unreachable: true });
    expect(kinds(failure(429, true))).toEqual({ refused: false, unreachable: true });
    expect(kinds(failure(401, false))).toEqual({ refused: false, unreachable: true });
    // One shop may be forbidden one order: counted against that order, never holding up the others.
    expect(kinds(failure(403, false))).toEqual({ refused: false, unreachable: false });
    expect(kinds(failure(500, true))).toEqual({ refused: false, unreachable: false });
    expect(new MarketplaceNotConfiguredError('OR11').unreachable).toBe(true);
  });
});
