import { describe, expect, it } from 'vitest';
import { auditSection, installedPackages, type NpmAuditReport } from '../../scripts/reliability/audit';

const when = new Date('2026-11-30T09:00:00Z');
const advisory = 'https://github.com/advisories/GHSA-xxxx-yyyy-zzzz';
const withFinding: NpmAuditReport = {
  auditReportVersion: 2,
  vulnerabilities: {
    'some-lib': {
      name: 'some-lib',
      severity: 'moderate',
      isDirect: false,
      range: '<1.2.3',
      via: [{ title: 'Prototype pollution in some-lib', url: advisory, severity: 'moderate', range: '<1.2.3' }],
      fixAvailable: { name: 'exceljs', version: '4.5.0' },
    },
    exceljs: { name: 'exceljs', severity: 'moderate', isDirect: true, range: '*', via: ['some-lib'], fixAvailable: true },
  },
  metadata: { dependencies: { prod: 264 } },
};

describe('the dependencies section of docs/reliability.md (npm audit --omit=dev)', () => {
  it('says clean only when npm answered with no advisory', () => {
    const clean = auditSection({ auditReportVersion: 2, vulnerabilities: {}, metadata: { dependencies: { prod: 264 } } }, when);
    expect(clean.verdict).toBe('clean');
    expect(clean.markdown).toMatch(/^\*\*Clean\*\* \(2026-11-30\): `npm audit --omit=dev` found no advisory against the 264 packages/);
  });

  it('lists each advisory once (not again for the package it reaches through), unexplained until a reason is recorded', () => {
    const open = auditSection(withFinding, when, { accepted: {} });
    expect(open.verdict).toBe('unexplained');
    expect(open.markdown).toContain('1 advisory against the 264 packages');
    expect(open.markdown).toContain(
      `| some-lib (indirect) | moderate | [Prototype pollution in some-lib](${advisory}) (<1.2.3; fixed in exceljs 4.5.0) | **Not explained: to deal with.** |`,
    );
    const explained = auditSection(withFinding, when, { accepted: { [advisory]: 'Only reached when reading XLSX files, which the console never reads.' } });
    expect(explained.verdict).toBe('explained');
    expect(explained.markdown).toContain('Only reached when reading XLSX files');
  });

  it('never reports an audit npm could not run as clean, and names no registry host', () => {
    const refused = auditSection(
      { message: '405 Method Not Allowed - POST https://registry.example.org/-/npm/v1/security/advisories/bulk', statusCode: 405 },
      when,
      { installedPackages: 264 },
    );
    expect(refused.verdict).toBe('not-run');
    expect(refused.markdown).toContain('**Not measured** (2026-11-30)');
    expect(refused.markdown).toContain('the 264 packages an installed console runs');
    expect(refused.markdown).toContain('405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk');
    expect(refused.markdown).not.toContain('registry.example.org');
    expect(refused.markdown).not.toContain('**Clean**');
    expect(refused.markdown).toContain('Nothing here says they are clean');
  });

  it('counts the packages an installed console runs from the lockfile (dev tools left out)', () => {
    expect(installedPackages()).toBeGreaterThan(50);
  });
});
