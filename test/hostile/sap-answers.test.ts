import { beforeAll, describe, expect, it } from 'vitest';
import { SAP_CASES, runSapCases } from './support/sap-answers';
import { mismatch, outcomeText, type Outcome } from './support/table';

describe('hostile answers from SAP (and what stands in front of it) while posting a Sales Order', () => {
  let outcomes: Outcome[];
  beforeAll(async () => {
    outcomes = await runSapCases();
  }, 180_000);

  it.each(SAP_CASES.map((c, i) => [c.kind, i] as const))('%s', (_kind, i) => {
    const o = outcomes[i]!;
    console.log(o.kind, '=>', outcomeText(o));
    expect(mismatch(SAP_CASES[i]!.expect, o)).toBeNull();
    expect(o.othersWentOn).toBe(true);
  });
});
