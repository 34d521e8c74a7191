import { beforeAll, describe, expect, it } from 'vitest';
import { RETURN_CASES, runReturnCases } from './support/marketplace-returns';
import { mismatch, outcomeText, type Outcome } from './support/table';

describe('hostile input from the marketplace: returns (RT11) and refunds on order lines (OR11)', () => {
  let outcomes: Outcome[];
  beforeAll(async () => {
    outcomes = await runReturnCases();
  }, 180_000);

  it.each(RETURN_CASES.map((c, i) => [c.kind, i] as const))('%s', (_kind, i) => {
    const o = outcomes[i]!;
    console.log(o.kind, '=>', outcomeText(o));
    expect(mismatch(RETURN_CASES[i]!.expect, o)).toBeNull();
    expect(o.othersWentOn).toBe(true);
  });
});
