import { describe, expect, it } from 'vitest';
import { auditSection, installedPackages, type NpmAuditReport } from '../../scripts/reliability/audit';
import { freshnessMarkdown, latestVersions, productionPackages } from '../../scripts/reliability/package-freshness';

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

describe('how current the installed packages are, when the audit cannot run', () => {
  const packages = [
    { name: 'exceljs', version: '4.4.0', neededBy: ['the console'] },
    { name: '@fast-csv/format', version: '4.3.5', neededBy: ['fast-csv'] },
    { name: 'ws', version: '8.23.0', neededBy: ['the console'] },
    { name: 'tmp', version: '0.2.3', neededBy: ['exceljs'] },
  ];

  it('counts those at their newest release and lists each that is not with what holds it, never calling it an audit', () => {
    const latest = new Map([
      ['exceljs', '4.4.0'],
      ['@fast-csv/format', '5.0.8'],
      ['ws', '8.23.0'],
      ['tmp', '0.2.5'],
    ]);
    const markdown = freshnessMarkdown(packages, latest, when);
    expect(markdown).toContain(
      '2 of the 4 releases installed (one a name and version) at their newest; 1 behind within the same major and 1 on an older major',
    );
    expect(markdown).toContain('| @fast-csv/format | 4.3.5 | 5.0.8 | older major | fast-csv |');
    expect(markdown).toContain('| tmp | 0.2.3 | 0.2.5 | same major | exceljs |');
    expect(markdown).not.toContain('| ws |');
    expect(markdown).toContain('This is not an audit');
  });

  it('gives the reason a package the console asks for itself is held back, and says when there is none', () => {
    const direct = [
      { name: 'electron-store', version: '11.0.2', neededBy: ['the console'] },
      { name: 'csv-parse', version: '6.2.1', neededBy: ['the console'] },
    ];
    const latest = new Map([
      ['electron-store', '12.0.0'],
      ['csv-parse', '7.0.3'],
    ]);
    const markdown = freshnessMarkdown(direct, latest, when, { 'electron-store': 'Waits for the desktop tests.' });
    expect(markdown).toContain('| electron-store | 11.0.2 | 12.0.0 | older major | the console: Waits for the desktop tests. |');
    expect(markdown).toContain('| csv-parse | 6.2.1 | 7.0.3 | older major | the console: **not explained** |');
  });

  it('asks the registry for each name once, tries a failing answer again, and leaves out what it never learnt', async () => {
    const asked: string[] = [];
    let failures = 1;
    const fetcher = async (url: string) => {
      asked.push(url);
      if (url.endsWith('/ws/latest') && failures-- > 0) return { ok: false, status: 503, json: async () => ({}) };
      if (url.endsWith('/gone/latest')) return { ok: false, status: 404, json: async () => ({}) };
      return { ok: true, status: 200, json: async () => ({ version: '1.0.0' }) };
    };
    const latest = await latestVersions(['@fast-csv/format', 'ws', 'ws', 'gone'], 'https://registry.example.org', fetcher, { attempts: 2 });
    expect(asked).toContain('https://registry.example.org/@fast-csv%2fformat/latest');
    expect(asked.filter((u) => u.endsWith('/ws/latest'))).toHaveLength(2);
    expect(asked.filter((u) => u.endsWith('/gone/latest'))).toHaveLength(1);
    expect([...latest.keys()].sort()).toEqual(['@fast-csv/format', 'ws']);
  });

  it('reads the production packages from the lockfile with who asks for each', () => {
    const installed = productionPackages();
    expect(installed.find((p) => p.name === 'better-sqlite3')?.neededBy).toContain('the console');
    expect(installed.some((p) => p.name === 'vitest')).toBe(false);
  });
});
