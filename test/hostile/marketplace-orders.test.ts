import { beforeAll, describe, expect, it } from 'vitest';
import { LISTING_CASES, ORDER_CASES, runOrderCases } from './support/marketplace-orders';
import { mismatch, outcomeText, type Outcome } from './support/table';

describe('hostile input from the marketplace: orders (OR11)', () => {
  let outcomes: Outcome[];
  beforeAll(async () => {
    outcomes = await runOrderCases();
  }, 120_000);

  const cases = [...ORDER_CASES, ...LISTING_CASES];
  it.each(cases.map((c, i) => [c.kind, i] as const))('%s', (_kind, i) => {
    const o = outcomes[i]!;
    console.log(o.kind, '=>', outcomeText(o));
    expect(mismatch(cases[i]!.expect, o)).toBeNull();
    expect(o.othersWentOn).toBe(true);
  });
});
