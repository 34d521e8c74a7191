import { describe, expect, it } from 'vitest';
import { replaceSection } from '../../scripts/reliability/doc-sections';

const doc = [
  '# Reliability',
  '<!-- reliability:chaos:start -->',
  'old chaos',
  '<!-- reliability:chaos:end -->',
  '<!-- reliability:ledger:start -->',
  'old ledger',
  '<!-- reliability:ledger:end -->',
].join('\n');

describe('docs/reliability.md sections', () => {
  it('replaces one suite section and leaves the others as they were', () => {
    const next = replaceSection(doc, 'chaos', '500 trials, 0 violations');
    expect(next).toContain('500 trials, 0 violations');
    expect(next).not.toContain('old chaos');
    expect(next).toContain('old ledger');
    expect(replaceSection(next, 'chaos', 'again')).toContain('again');
  });

  it('says which section is missing rather than writing the page wrongly', () => {
    expect(() => replaceSection(doc, 'security', 'x')).toThrow(/security/);
  });
});
