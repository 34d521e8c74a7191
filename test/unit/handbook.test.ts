import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXCEPTION_CATALOGUE, EXCEPTIONS_HANDBOOK_PAGE } from '../../shared/domain/exception-catalogue';
import { checkHandbookLinks, readPage, renderHandbook, Slugger } from '../../scripts/handbook/handbook';
import { handbookPlugin, HANDBOOK_MODULE } from '../../scripts/handbook/vite-plugin';
import { tempDir } from '../support/ports';

const tmp = tempDir('handbook-');
afterAll(() => tmp.cleanup());

/** A small handbook in a folder of its own: pages as the test writes them. */
function handbook(pages: Record<string, string>): string {
  const dir = path.join(tmp.dir, `docs-${Object.keys(pages).length}-${Math.random().toString(36).slice(2)}`);
  for (const [file, text] of Object.entries(pages)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('the handbook', () => {
  it('has a section for every catalogued exception type, where the console’s help link lands', () => {
    const pages = new Map<string, Set<string>>();
    const sections = (page: string) => pages.get(page) ?? pages.set(page, readPage(page)?.anchors ?? new Set()).get(page)!;
    const missing = EXCEPTION_CATALOGUE.filter((e) => {
      const [page, anchor] = e.handbook.split('#') as [string, string];
      return !sections(page).has(anchor);
    }).map((e) => e.handbook);
    expect(missing).toEqual([]);
  });

  it('has no section on the exceptions page for a type the catalogue does not have (a renamed or removed type)', () => {
    // Each type's section is named by an anchor written on the page (<a id="orders-sku-unknown">), not by its heading,
    // and by the type's name alone too (<a id="carrier-unmapped">), as other pages link to it.
    const catalogued = new Set(EXCEPTION_CATALOGUE.flatMap((e) => [e.handbook.split('#')[1], e.type]));
    const written = [...readPage(EXCEPTIONS_HANDBOOK_PAGE)!.written];
    expect(written.filter((a) => !catalogued.has(a))).toEqual([]);
    // Every type can be linked to by its name alone: its own section, or the list of the flows sharing the name.
    expect(EXCEPTION_CATALOGUE.filter((e) => !written.includes(e.type)).map((e) => e.id)).toEqual([]);
  });

  it('has no link that points nowhere: every page, file, folder and #section a page of docs/ links to exists', () => {
    expect(checkHandbookLinks()).toEqual([]);
  });

  it('finds a link to a missing page, a missing section, a section of a file without any, and a link out of the handbook', () => {
    const dir = handbook({
      'README.md': [
        '# Home',
        '[orders](orders.md) [gone](gone.md) [numbered](orders.md#exceptions-1) [no such](orders.md#no-such-section)',
        '[example](example.json#top) [out](../README.md) [web](https://example.com/x.md) [folder](decisions/) [here](#home)',
        '<a href="orders.md#by-hand">by hand</a> ![picture](img/missing.png)',
      ].join('\n\n'),
      'orders.md': '# Orders\n\n## Exceptions\n\n## Exceptions\n\n<a id="by-hand"></a>\n\nText.\n',
      'example.json': '{}\n',
      'decisions/0001-a.md': '# 0001 — A\n',
    });
    expect(checkHandbookLinks(dir).map((p) => `${p.href}: ${p.problem}`)).toEqual([
      'gone.md: gone.md does not exist',
      'orders.md#no-such-section: orders.md has no section #no-such-section',
      'example.json#top: example.json has no sections to link to',
      '../README.md: leaves the handbook (../README.md): the console ships docs/ only',
      'img/missing.png: img/missing.png does not exist',
    ]);
  });

  it('names a heading’s section as GitHub does, and the built page carries the same anchors and console links', () => {
    const slugger = new Slugger();
    expect(
      ['Exceptions and what to do', 'Exceptions and what to do', '`carrier-unmapped` (tray alert)', 'Orders → settings: the “cut-off”'].map((h) =>
        slugger.slug(h),
      ),
    ).toEqual(['exceptions-and-what-to-do', 'exceptions-and-what-to-do-1', 'carrier-unmapped-tray-alert', 'orders--settings-the-cut-off']);

    const dir = handbook({
      'README.md': '# Home\n\nSee [the second](guide/page.md#twice-1) and [the folder](decisions/).\n',
      'guide/page.md': '# Page\n\n## Twice\n\n## Twice\n\n[back](../README.md#home) [web](https://example.com)\n',
      'decisions/0001-a.md': '# 0001 — A decision\n',
    });
    const { pages } = renderHandbook(dir);
    expect(pages['guide/page.md']!.html).toContain('<h2 id="twice-1">Twice</h2>');
    expect(pages['README.md']!.html).toContain('href="#/handbook/guide/page.md#twice-1"');
    expect(pages['README.md']!.html).toContain('href="#/handbook/decisions/"');
    expect(pages['guide/page.md']!.html).toContain('href="#/handbook/README.md#home"');
    expect(pages['guide/page.md']!.html).toContain('href="https://example.com" target="_blank" rel="noreferrer"');
    // A folder without a README of its own is a list of its pages by title.
    expect(pages['decisions/']!.html).toContain('<a href="#/handbook/decisions/0001-a.md">0001 — A decision</a>');
  });

  it('builds pictures into the console as files of their own, so a screenshot in a page shows offline', async () => {
    const dir = handbook({
      'operations/daily.md': '# Daily checks\n\n![The Overview screen](img/overview.png)\n\n<img src="img/overview.png" alt="again">\n',
      'operations/img/overview.png': 'not really a picture',
    });
    const plugin = handbookPlugin(dir);
    const resolve = plugin.resolveId as (id: string) => string | null;
    const load = plugin.load as (this: { addWatchFile(file: string): void }, id: string) => string | null;
    const watched: string[] = [];
    const code = load.call({ addWatchFile: (f) => void watched.push(f) }, resolve(HANDBOOK_MODULE)!)!;
    expect(code).toContain(`import asset0 from ${JSON.stringify(path.join(dir, 'operations/img/overview.png'))};`);
    // Both the markdown picture and the one written in HTML take the bundled file's address.
    expect(code.match(/src=\\"" \+ asset0 \+ "\\"/g)).toHaveLength(2);
    expect(watched).toContain(path.join(dir, 'operations/daily.md'));
  });
});
