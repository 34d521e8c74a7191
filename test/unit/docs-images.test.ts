import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The handbook's pictures (taken by `npm run docs:screenshots`) and its task pages: every picture a page shows is
 * there, every picture there is shown, they stay small enough to ship with the app, and every task page for the
 * warehouse office and finance is reachable from the handbook's index.
 */
const DOCS = path.resolve(import.meta.dirname, '../../docs');
const IMAGES = path.join(DOCS, 'images');
/** Per picture and all together: the handbook ships inside the app. */
const MAX_BYTES = 300 * 1024;
const MAX_TOTAL_BYTES = 3 * 1024 * 1024;
const MAX_WIDTH = 1800;

function pages(dir = DOCS): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'decisions' ? [] : pages(full);
    return e.name.endsWith('.md') ? [full] : [];
  });
}

/** Every picture a page shows, as a path on disk: `![words](../images/x.png)`. */
function picturesShown(): { page: string; picture: string }[] {
  return pages().flatMap((page) =>
    [...readFileSync(page, 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => ({ page, picture: path.resolve(path.dirname(page), m[1]!) })),
  );
}

const pngs = () =>
  readdirSync(IMAGES)
    .filter((f) => f.endsWith('.png'))
    .map((f) => path.join(IMAGES, f));

describe('the handbook’s pictures', () => {
  it('every picture a page shows is in docs/images, and is a PNG', () => {
    const shown = picturesShown();
    expect(shown.length).toBeGreaterThan(0);
    const missing = shown.filter((s) => !pngs().includes(s.picture)).map((s) => `${path.relative(DOCS, s.page)} → ${path.relative(DOCS, s.picture)}`);
    expect(missing).toEqual([]);
  });

  it('every picture in docs/images is shown by a page (none left behind when a page stops showing it)', () => {
    const shown = new Set(picturesShown().map((s) => s.picture));
    expect(
      pngs()
        .filter((p) => !shown.has(p))
        .map((p) => path.basename(p)),
    ).toEqual([]);
  });

  it('pictures stay small: real PNGs, at most 1800 px wide, 300 KB each and 3 MB together', () => {
    let total = 0;
    for (const file of pngs()) {
      const bytes = readFileSync(file);
      // The PNG signature, then the IHDR chunk: width and height as big-endian 32-bit numbers.
      expect(bytes.subarray(0, 8).toString('hex'), path.basename(file)).toBe('89504e470d0a1a0a');
      expect(bytes.readUInt32BE(16), `${path.basename(file)} width`).toBeLessThanOrEqual(MAX_WIDTH);
      const size = statSync(file).size;
      expect(size, `${path.basename(file)} bytes`).toBeLessThanOrEqual(MAX_BYTES);
      total += size;
    }
    expect(total).toBeLessThanOrEqual(MAX_TOTAL_BYTES);
  });
});

describe('the task pages', () => {
  it('every page for the warehouse office and for finance is linked from the handbook’s index', () => {
    const index = readFileSync(path.join(DOCS, 'README.md'), 'utf8');
    const linked = new Set([...index.matchAll(/\]\(([^)#\s]+)/g)].map((m) => path.resolve(DOCS, m[1]!)));
    const taskPages = ['operations', 'finance'].flatMap((d) => pages(path.join(DOCS, d)));
    expect(taskPages.length).toBeGreaterThanOrEqual(10);
    expect(taskPages.filter((p) => !linked.has(p)).map((p) => path.relative(DOCS, p))).toEqual([]);
  });
});
