import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_CASES, runOrderCases } from './support/marketplace-orders';
import { mismatch, outcomeText, type Outcome } from './support/table';

describe('hostile input from the marketplace: orders (OR11)', () => {
  let outcomes: Outcome[];
  beforeAll(async () => {
    outcomes = await runOrderCases();
  }, 120_000);
  afterAll(() => undefined);

  it.each(ORDER_CASES.map((c, i) => [c.kind, i] as const))('%s', (_kind, i) => {
    const o = outcomes[i]!;
    console.log(o.kind, '=>', outcomeText(o));
    expect(mismatch(ORDER_CASES[i]!.expect, o)).toBeNull();
    expect(o.othersWentOn).toBe(true);
  });
});
