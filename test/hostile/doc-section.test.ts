import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RELIABILITY_DOC } from '../../scripts/reliability/doc-sections';
import { LISTING_CASES, ORDER_CASES } from './support/marketplace-orders';
import { RETURN_CASES } from './support/marketplace-returns';
import { SAP_CASES } from './support/sap-answers';
import { ERROR_CLASS_CASES } from './support/sap-error-classes';

describe('docs/reliability.md: the hostile-input section', () => {
  it('lists every kind the suite tries (run npm run reliability:hostile after changing a case)', () => {
    const doc = readFileSync(RELIABILITY_DOC, 'utf8');
    const section = doc.slice(doc.indexOf('<!-- reliability:hostile-input:start -->'), doc.indexOf('<!-- reliability:hostile-input:end -->'));
    const kinds = [...ORDER_CASES, ...LISTING_CASES, ...RETURN_CASES, ...SAP_CASES, ...ERROR_CLASS_CASES].map((c) => c.kind);
    expect(kinds.filter((k) => !section.includes(`| ${k.replace(/\|/g, '\\|')}`))).toEqual([]);
    expect(section).not.toMatch(/\*\*no\*\*/);
  });
});
