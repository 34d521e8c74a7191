import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { writeReliabilitySection } from './doc-sections';
import { freshnessMarkdown, isProduction, latestVersions, lockEntries, productionPackages } from './package-freshness';

/**
 * `npm run reliability:audit`: `npm audit --omit=dev` (the packages an installed console runs; the dev tools never ship)
 * and docs/reliability.md's `dependencies` section written from its answer — clean, or each finding with why it is
 * acceptable or what was done (ACCEPTED below, by advisory URL). A finding nobody has explained fails the command;
 * an audit the registry would not answer is said so, never reported as clean.
 */

/** Advisories looked at and accepted, by their URL: why each cannot hurt an installed console, or what was done. */
export const ACCEPTED: Readonly<Record<string, string>> = {};

/** The parts of `npm audit --json` (report version 2) the section uses. */
export interface NpmAuditReport {
  auditReportVersion?: number;
  vulnerabilities?: Record<
    string,
    {
      name: string;
      severity: string;
      isDirect: boolean;
      range: string;
      via: (string | { title?: string; url?: string; severity?: string; range?: string; name?: string })[];
      fixAvailable: boolean | { name: string; version: string; isSemVerMajor?: boolean };
    }
  >;
  metadata?: { vulnerabilities?: Record<string, number>; dependencies?: { prod?: number; total?: number } };
  /** npm's answer when the audit itself failed (the endpoint refused, no network). */
  error?: { code?: string | null; summary?: string; detail?: string };
  message?: string;
  statusCode?: number;
}

export interface AuditOutcome {
  markdown: string;
  /** clean: no finding; explained: every finding in ACCEPTED; unexplained: a finding to deal with; not-run: no answer. */
  verdict: 'clean' | 'explained' | 'unexplained' | 'not-run';
}

export function auditSection(
  report: NpmAuditReport,
  when: Date,
  options: { accepted?: Readonly<Record<string, string>>; installedPackages?: number } = {},
): AuditOutcome {
  const accepted = options.accepted ?? ACCEPTED;
  const date = when.toISOString().slice(0, 10);
  const command = '`npm run reliability:audit` (`npm audit --omit=dev`: the packages an installed console runs)';
  if (!report.vulnerabilities || report.error || report.statusCode) {
    // npm's message, without the registry's address.
    const why = (report.message ?? report.error?.summary ?? 'npm gave no audit report').replace(/https?:\/\/[^/\s]+/g, '').trim();
    const packages = options.installedPackages
      ? `the ${options.installedPackages} packages an installed console runs`
      : 'the packages an installed console runs';
    return {
      verdict: 'not-run',
      markdown: `**Not measured** (${date}): npm's advisory service did not answer the audit of ${packages} — \`${why}\`. Nothing here says they are clean: run ${command} where npm reaches its advisory service, and commit the section it writes.`,
    };
  }
  const prod = report.metadata?.dependencies?.prod;
  const findings = Object.values(report.vulnerabilities).flatMap((v) =>
    v.via
      .filter((via): via is Exclude<(typeof v.via)[number], string> => typeof via !== 'string')
      .map((via) => ({
        pkg: v.name,
        severity: via.severity ?? v.severity,
        title: via.title ?? '',
        url: via.url ?? '',
        range: via.range ?? v.range,
        direct: v.isDirect,
        fix: v.fixAvailable,
      })),
  );
  // A package flagged only through another (via names a package, not an advisory) is covered by that one's row.
  if (findings.length === 0)
    return {
      verdict: 'clean',
      markdown: `**Clean** (${date}): \`npm audit --omit=dev\` found no advisory against the ${prod ?? 'installed'} packages an installed console runs. From ${command}.`,
    };
  const rows = findings.map((f) => {
    const reason = accepted[f.url];
    const fix = f.fix === false ? 'no fix published' : f.fix === true ? 'fix available' : `fixed in ${f.fix.name} ${f.fix.version}`;
    return `| ${f.pkg}${f.direct ? '' : ' (indirect)'} | ${f.severity} | [${f.title || f.url}](${f.url}) (${f.range}; ${fix}) | ${reason ?? '**Not explained: to deal with.**'} |`;
  });
  const unexplained = findings.filter((f) => !accepted[f.url]).length;
  return {
    verdict: unexplained ? 'unexplained' : 'explained',
    markdown: [
      `${findings.length} advisor${findings.length === 1 ? 'y' : 'ies'} against the ${prod ?? 'installed'} packages an installed console runs (${date}), ${unexplained ? `**${unexplained} not explained**` : 'each explained'}. From ${command}.`,
      '',
      '| package | severity | advisory | why it is acceptable, or what was done |',
      '|---|---|---|---|',
      ...rows,
    ].join('\n'),
  };
}

function npmAudit(): Promise<NpmAuditReport> {
  return new Promise((resolve) => {
    // npm exits non-zero both when it finds something and when the audit fails: the JSON says which.
    execFile('npm', ['audit', '--omit=dev', '--json'], { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout) => {
      try {
        resolve(JSON.parse(stdout) as NpmAuditReport);
      } catch {
        resolve({ message: error?.message ?? 'npm audit printed no JSON' });
      }
    });
  });
}

/** How many packages an installed console runs: package-lock.json's entries not marked dev (no network, no node_modules). */
export function installedPackages(lockfile?: string): number | undefined {
  try {
    return lockEntries(lockfile).filter(isProduction).length;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const [report, packages] = [await npmAudit(), installedPackages()];
  const when = new Date();
  const outcome = auditSection(report, when, packages === undefined ? {} : { installedPackages: packages });
  let markdown = outcome.markdown;
  if (outcome.verdict === 'not-run') {
    // No advisories to be had: say at least which packages are held on older releases, and by what.
    const installed = productionPackages();
    const registry = await new Promise<string>((resolve) =>
      execFile('npm', ['config', 'get', 'registry'], { timeout: 30_000 }, (_error, stdout) => resolve(stdout.trim() || 'https://registry.npmjs.org/')),
    );
    markdown += `\n\n${freshnessMarkdown(
      installed,
      await latestVersions(
        installed.map((p) => p.name),
        registry,
      ),
      when,
    )}`;
  }
  await writeReliabilitySection('dependencies', markdown);
  console.log(markdown);
  console.log(`\ndocs/reliability.md: dependencies section written (${outcome.verdict}).`);
  return outcome.verdict === 'clean' || outcome.verdict === 'explained' ? 0 : outcome.verdict === 'not-run' ? 2 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main().then((code) => process.exit(code));
