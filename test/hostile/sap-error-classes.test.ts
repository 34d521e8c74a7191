import { describe, expect, it } from 'vitest';
import { ERROR_CLASS_CASES, expectedOf, runErrorClassCases } from './support/sap-error-classes';
import { mismatch, outcomeText } from './support/table';

describe('every SAP error class the reference lists, in both shapes, and answers that are not SAP’s', () => {
  const outcomes = runErrorClassCases();
  it.each(ERROR_CLASS_CASES.map((c, i) => [c.kind, i] as const))('%s', (_kind, i) => {
    const o = outcomes[i]!;
    console.log(o.kind, '=>', outcomeText(o));
    expect(mismatch(expectedOf(ERROR_CLASS_CASES[i]!), o)).toBeNull();
    // SAP's own words are kept verbatim where SAP said something.
    const body = ERROR_CLASS_CASES[i]!.body as { error?: { message?: unknown } };
    const said = typeof body?.error?.message === 'string' ? body.error.message : (body?.error?.message as { value?: string } | undefined)?.value;
    if (said) expect(o.exceptions[0]!.rawError).toBe(said);
  });
});
