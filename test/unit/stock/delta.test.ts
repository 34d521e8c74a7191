import { describe, expect, it } from 'vitest';
import { needsSending, sameLines } from '../../../electron/engine/flows/stock/delta';
import { classifyRejection } from '../../../electron/engine/flows/stock/rejections';
import { reconciliationDue } from '../../../electron/engine/flows/stock/schedule';

const one = (quantity: number) => [{ warehouseCode: null, quantity }];
const base = { confirmed: null, inFlight: null, rejected: null, retryRequested: false };

describe('the delta', () => {
  it('sends a SKU the marketplace never confirmed', () => {
    expect(needsSending({ ...base, computed: one(5) })).toBe(true);
  });

  it('sends only when the figure differs from the last one the marketplace confirmed', () => {
    expect(needsSending({ ...base, computed: one(5), confirmed: one(5) })).toBe(false);
    expect(needsSending({ ...base, computed: one(4), confirmed: one(5) })).toBe(true);
  });

  it('does not send again a figure already on its way in an unfinished import', () => {
    expect(needsSending({ ...base, computed: one(4), confirmed: one(5), inFlight: one(4) })).toBe(false);
    expect(needsSending({ ...base, computed: one(3), confirmed: one(5), inFlight: one(4) })).toBe(true);
  });

  it('does not resend a rejected figure every cycle, unless it changed or an operator retries', () => {
    expect(needsSending({ ...base, computed: one(4), rejected: one(4) })).toBe(false);
    expect(needsSending({ ...base, computed: one(3), rejected: one(4) })).toBe(true);
    expect(needsSending({ ...base, computed: one(4), rejected: one(4), retryRequested: true })).toBe(true);
  });

  it('compares per-warehouse lines whatever their order', () => {
    expect(
      sameLines(
        [
          { warehouseCode: 'B', quantity: 1 },
          { warehouseCode: 'A', quantity: 2 },
        ],
        [
          { warehouseCode: 'A', quantity: 2 },
          { warehouseCode: 'B', quantity: 1 },
        ],
      ),
    ).toBe(true);
    expect(
      sameLines(
        [{ warehouseCode: 'A', quantity: 2 }],
        [
          { warehouseCode: 'A', quantity: 2 },
          { warehouseCode: 'B', quantity: 0 },
        ],
      ),
    ).toBe(false);
  });
});

describe('stock rejections', () => {
  it('tells an unknown SKU from a bad quantity, keeping other reasons generic', () => {
    expect(classifyRejection({ reason: "The offer with sku 'X' does not exist" }).kind).toBe('sku-unknown');
    expect(classifyRejection({ reason: "The quantity '-1' is not a whole number of 0 or more" }).kind).toBe('bad-quantity');
    expect(classifyRejection({ reason: 'Offer is locked by the operator' }).kind).toBe('stock-line-rejected');
    expect(classifyRejection({ reason: 'x' }).summary('SKU1')).toContain('SKU1');
  });
});

describe('the nightly reconciliation time (UK clock)', () => {
  const at = (iso: string) => Date.parse(iso);
  it('is due when it never ran', () => {
    expect(reconciliationDue(null, at('2026-11-26T09:00:00Z'), '02:00')).toBe(true);
  });
  it('is due once the time has passed since the last one, and not again that day', () => {
    expect(reconciliationDue('2026-11-26T09:00:00Z', at('2026-11-27T01:59:00Z'), '02:00')).toBe(false);
    expect(reconciliationDue('2026-11-26T09:00:00Z', at('2026-11-27T02:00:00Z'), '02:00')).toBe(true);
    expect(reconciliationDue('2026-11-27T02:01:00Z', at('2026-11-27T23:00:00Z'), '02:00')).toBe(false);
  });
  it('follows British Summer Time', () => {
    // 02:00 BST is 01:00 UTC.
    expect(reconciliationDue('2026-07-01T09:00:00Z', at('2026-07-02T01:00:00Z'), '02:00')).toBe(true);
    expect(reconciliationDue('2026-07-01T09:00:00Z', at('2026-07-02T00:59:00Z'), '02:00')).toBe(false);
  });
});
