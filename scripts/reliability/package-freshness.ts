import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * How current the packages an installed console runs are, from the registry's plain GET answers: what
 * `npm run reliability:audit` still says when npm's advisory service will not answer. It is not an audit (a package
 * at its newest release can still carry an advisory), and the section says so; it shows which packages are held on
 * older releases, and by which package, so the first audit that does run knows where to look.
 */

export interface InstalledPackage {
  name: string;
  version: string;
  /** The packages in the lockfile that ask for this one (their names). */
  neededBy: string[];
}

interface LockEntry {
  name?: string;
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const nameAt = (where: string, entry: LockEntry) => entry.name ?? where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);

const LOCKFILE = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

/** package-lock.json's entries by where they are installed ('' is the console itself). */
export function lockEntries(lockfile: string = LOCKFILE): [string, LockEntry][] {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages?: Record<string, LockEntry> };
  return Object.entries(lock.packages ?? {});
}

/** An installed package an installed console runs: not the console itself, not a dev tool. */
export const isProduction = ([where, entry]: [string, LockEntry]): boolean => where !== '' && !entry.dev && !entry.devOptional;

/** package-lock.json's entries not marked dev, one per name and version, each with who asks for it. */
export function productionPackages(lockfile: string = LOCKFILE): InstalledPackage[] {
  const entries = lockEntries(lockfile);
  const production = entries.filter((e) => isProduction(e) && e[1].version);
  const byPath = new Map<string, InstalledPackage>();
  const byKey = new Map<string, InstalledPackage>();
  for (const [where, entry] of production) {
    const name = nameAt(where, entry);
    const key = `${name}@${entry.version}`;
    const pkg = byKey.get(key) ?? { name, version: entry.version!, neededBy: [] };
    byKey.set(key, pkg);
    byPath.set(where, pkg);
  }
  for (const [where, entry] of entries) {
    if (entry.dev || entry.devOptional) continue;
    const dependent = where === '' ? 'the console' : nameAt(where, entry);
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      // Node's resolution: the dependent's own node_modules, then each enclosing one out to the top.
      let from = where;
      let pkg: InstalledPackage | undefined;
      for (;;) {
        pkg = byPath.get(from ? `${from}/node_modules/${dep}` : `node_modules/${dep}`);
        if (pkg || !from) break;
        const cut = from.lastIndexOf('/node_modules/');
        from = cut < 0 ? '' : from.slice(0, cut);
      }
      if (pkg && !pkg.neededBy.includes(dependent)) pkg.neededBy.push(dependent);
    }
  }
  return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export type Fetcher = (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** Each package's newest release on the registry (its `latest` tag); a package the registry would not say is left out. */
export async function latestVersions(
  names: readonly string[],
  registry: string,
  fetcher: Fetcher = fetch,
  options: { concurrency?: number; timeoutMs?: number; attempts?: number } = {},
): Promise<Map<string, string>> {
  const { concurrency = 8, timeoutMs = 15_000, attempts = 3 } = options;
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  const latest = new Map<string, string>();
  const queue = [...new Set(names)];
  const one = async (name: string) => {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const answer = await fetcher(`${base}${name.replace('/', '%2f')}/latest`, { signal: AbortSignal.timeout(timeoutMs) });
        if (answer.ok) {
          const version = (await answer.json()) as { version?: unknown };
          if (typeof version.version === 'string') latest.set(name, version.version);
          return;
        }
        if (answer.status < 500 && answer.status !== 429) return;
      } catch {
        // A timeout or a dropped connection: tried again below, after a pause.
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await one(name);
    }),
  );
  return latest;
}

/** What a breaking release changes: the major, or below 1.0.0 the minor (0.10 to 0.12 breaks as 4 to 5 does). */
/** Why a package the console asks for itself is not on its newest release. */
export const HELD_BACK: Readonly<Record<string, string>> = {
  '@tanstack/react-table':
    '9 is a new API (a table names the features it uses); every list in the console is built on 8, whose newest release this is, and moving them is a change of its own, tested screen by screen.',
  'electron-store':
    "12 changes how the desktop app's settings file migrates and reads (conf 16); only the Electron shell uses it, and the shell cannot run on the machine that built this, so the move waits for one where the desktop tests run.",
};

const major = (version: string) => (version.startsWith('0.') ? version.split('.').slice(0, 2).join('.') : version.split('.')[0]);

/** The paragraph and table: how many are at their newest release, and each that is not, with who holds it there. */
export function freshnessMarkdown(
  packages: readonly InstalledPackage[],
  latest: ReadonlyMap<string, string>,
  when: Date,
  heldBack: Readonly<Record<string, string>> = HELD_BACK,
): string {
  const date = when.toISOString().slice(0, 10);
  const known = packages.filter((p) => latest.has(p.name));
  const behind = known.filter((p) => latest.get(p.name) !== p.version);
  const olderMajor = behind.filter((p) => major(p.version) !== major(latest.get(p.name)!));
  const unknown = packages.length - known.length;
  const rows = behind.map(
    (p) =>
      `| ${p.name} | ${p.version} | ${latest.get(p.name)} | ${major(p.version) === major(latest.get(p.name)!) ? 'same major' : 'older major'} | ${p.neededBy.join(', ') || '—'}${p.neededBy.includes('the console') ? `: ${heldBack[p.name] ?? '**not explained**'}` : ''} |`,
  );
  return [
    `Meanwhile, how current they are (${date}, from the registry's newest release of each): ` +
      `${known.length - behind.length} of the ${known.length} releases installed (one a name and version) at their newest; ${behind.length - olderMajor.length} behind within the same major ` +
      `and ${olderMajor.length} on an older major, each listed with the package that asks for it (the console itself: why)` +
      `${unknown ? `; the registry did not say for ${unknown}` : ''}. ` +
      'This is not an audit: a newest release can carry an advisory too.',
    ...(rows.length ? ['', '| package | installed | newest | | asked for by |', '|---|---|---|---|---|', ...rows] : []),
  ].join('\n');
}
