import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * docs/reliability.md is written by the suites that measure it, never by hand: each suite (chaos, hostile input,
 * secrets scan, dependency audit, ledger) owns one section between markers and replaces only that section, so
 * the page always says what the last run found.
 */
export const RELIABILITY_DOC = fileURLToPath(new URL('../../docs/reliability.md', import.meta.url));

export const RELIABILITY_SECTIONS = ['chaos', 'hostile-input', 'security', 'dependencies', 'ledger'] as const;
export type ReliabilitySection = (typeof RELIABILITY_SECTIONS)[number];

const startMarker = (name: ReliabilitySection) => `<!-- reliability:${name}:start -->`;
const endMarker = (name: ReliabilitySection) => `<!-- reliability:${name}:end -->`;

/** Replaces one section's body in the text, leaving every other section as it was. */
export function replaceSection(doc: string, name: ReliabilitySection, markdown: string): string {
  const start = doc.indexOf(startMarker(name));
  const end = doc.indexOf(endMarker(name));
  if (start < 0 || end < start) throw new Error(`docs/reliability.md has no markers for the '${name}' section`);
  const body = `${startMarker(name)}\n${markdown.trim()}\n`;
  return doc.slice(0, start) + body + doc.slice(end);
}

export async function writeReliabilitySection(name: ReliabilitySection, markdown: string, file: string = RELIABILITY_DOC): Promise<void> {
  const doc = await readFile(file, 'utf8');
  await writeFile(file, replaceSection(doc, name, markdown));
}
