import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RELIABILITY_DOC, replaceSection } from '../../scripts/reliability/doc-sections';
import { INVARIANTS, type Invariant } from './invariants';
import { chaosSection } from './report';

describe('the chaos section of docs/reliability.md', () => {
  it('states the run (trials, seed, faults, kills, violations, duration), each fault kind, kill moment and invariant, and how to replay', () => {
    const markdown = chaosSection({
      seed: 7,
      trials: 500,
      faults: 3,
      faultsByKind: { 'SAP 5xx': 2, 'ledger disk full': 1 },
      kills: 4,
      killsByMoment: { anywhere: 1, 'after-landing': 3 },
      fullDiskMet: 1,
      fullDiskTrials: 1,
      violations: 0,
      byInvariant: Object.fromEntries(INVARIANTS.map((i) => [i, 0])) as Record<Invariant, number>,
      durationMs: 40 * 60_000,
      failed: [],
    });
    expect(markdown).toContain('| 500 | 7 | 3 | 4 | 0 | 40.0 min |');
    expect(markdown).toContain('| SAP 5xx | 2 |');
    expect(markdown).toContain('| after a write landed, before its answer reached the engine | 3 |');
    expect(markdown).toContain('| as a write reached SAP or the marketplace (it still lands) | 0 |');
    for (const invariant of INVARIANTS) expect(markdown).toContain(`| ${invariant} | 0 |`);
    expect(markdown).toContain('npm run chaos -- --seed <its seed> --trials 1');
    // It fits between the page's chaos markers without touching the other sections.
    const doc = readFileSync(RELIABILITY_DOC, 'utf8');
    const written = replaceSection(doc, 'chaos', markdown);
    expect(written).toContain(markdown);
    expect(written.slice(written.indexOf('<!-- reliability:hostile-input:start -->'))).toBe(doc.slice(doc.indexOf('<!-- reliability:hostile-input:start -->')));
  });
});
