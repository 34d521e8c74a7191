import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Lexer, Marked, walkTokens, type Token, type Tokens } from 'marked';
import { handbookAddress, HANDBOOK_HOME } from '../../shared/domain/handbook-address.ts';

/**
 * The handbook (docs/) as the console ships it: every page's markdown rendered to HTML at build time, its links between
 * pages turned into console addresses, and the check that no link points nowhere. The build and the check read the
 * pages the same way and name a heading's section by the same rule, so what the test passes is what the console shows.
 */

export const DOCS_DIR = path.resolve(import.meta.dirname, '../../docs');

const IMAGE = /\.(png|jpe?g|gif|svg|webp)$/i;
/** Files shown as text pages (an example configuration file, say); anything else under docs/ is left out. */
const TEXT = /\.(json|ya?ml|txt|csv)$/i;

/** Every file of the handbook, as a path under docs/ with `/` between folders, sorted. */
export function handbookFiles(docsDir: string = DOCS_DIR): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(path.relative(docsDir, full).split(path.sep).join('/'));
    }
  };
  walk(docsDir);
  return out;
}

/**
 * A heading's anchor by GitHub's rule (as github-slugger has it): lower case, every character that is not a letter, a
 * digit, a mark, `_`, `-` or a space dropped, spaces made hyphens; a second heading of the same words gets `-1`, `-2`…
 */
export class Slugger {
  private readonly seen = new Map<string, number>();

  slug(text: string): string {
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    let result = base;
    while (this.seen.has(result)) {
      const n = this.seen.get(base)! + 1;
      this.seen.set(base, n);
      result = `${base}-${n}`;
    }
    this.seen.set(result, 0);
    return result;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
const unescapeHtml = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e]!);

/** A heading's words as a reader sees them (code spans' text, links' words, no HTML tags): what its anchor is made of. */
function plainText(tokens: readonly Token[]): string {
  return tokens
    .map((t) => {
      if (t.type === 'html') return '';
      if (t.type === 'codespan' || t.type === 'escape') return (t as Tokens.Codespan).text;
      if ('tokens' in t && Array.isArray(t.tokens) && t.tokens.length) return plainText(t.tokens as Token[]);
      return unescapeHtml((t as Tokens.Text).text ?? '');
    })
    .join('');
}

/** Anchors written into a page's own HTML: `<a id="orders-sku-unknown"></a>`, `name="…"`. */
const HTML_ANCHOR = /\s(?:id|name)\s*=\s*"([^"]+)"/g;
/** Links and pictures in a page's own HTML. */
const HTML_LINK = /\s(href|src)\s*=\s*"([^"]+)"/g;

export interface PageOutline {
  title: string;
  /** Every section a link may name: each heading's anchor and each id or name written in the page's HTML. */
  anchors: Set<string>;
  /** The anchors written in the page's HTML (`<a id="orders-sku-unknown"></a>`): sections that keep their name whatever their heading says. */
  written: Set<string>;
  /** Each heading token's anchor, for the renderer. */
  headingIds: Map<Token, string>;
  /** Every link and picture the page holds, as written. */
  links: { href: string; image: boolean }[];
  tokens: Token[];
}

/** Reads one page: its title, its sections and its links. */
export function outlinePage(markdown: string, fallbackTitle: string): PageOutline {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const slugger = new Slugger();
  const anchors = new Set<string>();
  const written = new Set<string>();
  const headingIds = new Map<Token, string>();
  const links: PageOutline['links'] = [];
  let title: string | null = null;
  walkTokens(tokens, (t) => {
    if (t.type === 'heading') {
      const heading = t as Tokens.Heading;
      const text = plainText(heading.tokens);
      const id = slugger.slug(text);
      headingIds.set(t, id);
      anchors.add(id);
      if (heading.depth === 1 && title === null) title = text.trim();
    } else if (t.type === 'link' || t.type === 'image') {
      links.push({ href: (t as Tokens.Link).href, image: t.type === 'image' });
    } else if (t.type === 'html') {
      const html = (t as Tokens.HTML).text;
      for (const m of html.matchAll(HTML_ANCHOR)) {
        anchors.add(m[1]!);
        written.add(m[1]!);
      }
      for (const m of html.matchAll(HTML_LINK)) links.push({ href: unescapeHtml(m[2]!), image: m[1] === 'src' });
    }
  });
  return { title: title ?? fallbackTitle, anchors, written, headingIds, links, tokens };
}

/** Where a link goes: the web, or a place in the handbook (a file or folder under docs/, and maybe a section). */
export type LinkTarget = { kind: 'external' } | { kind: 'handbook'; file: string; anchor: string | null } | { kind: 'outside'; file: string };

/** Resolves a link as written on `from` (a path under docs/). A link to the page itself has `file` = `from`. */
export function resolveLink(from: string, href: string): LinkTarget {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return { kind: 'external' };
  const cut = href.indexOf('#');
  const pathPart = cut < 0 ? href : href.slice(0, cut);
  const anchor = cut < 0 ? null : decodeURIComponent(href.slice(cut + 1));
  if (!pathPart) return { kind: 'handbook', file: from, anchor };
  const decoded = decodeURIComponent(pathPart);
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), decoded));
  if (joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(decoded)) return { kind: 'outside', file: joined };
  // A folder keeps its trailing slash: its page is its README, or the list the build makes of it.
  return { kind: 'handbook', file: decoded.endsWith('/') && !joined.endsWith('/') ? `${joined}/` : joined === '.' ? './' : joined, anchor };
}

/** The page key of a file or folder: a folder's README if it has one, else the folder (`decisions/`). */
function pageKey(docsDir: string, file: string): string | null {
  const full = path.join(docsDir, file);
  if (file === './') return existsSync(path.join(docsDir, HANDBOOK_HOME)) ? HANDBOOK_HOME : null;
  if (!existsSync(full)) return null;
  if (statSync(full).isDirectory()) {
    const dir = file.replace(/\/?$/, '/');
    return existsSync(path.join(full, 'README.md')) ? `${dir}README.md` : dir;
  }
  return file;
}

export interface LinkProblem {
  page: string;
  href: string;
  problem: string;
}

/**
 * Every link of every page that points nowhere: a page or file that does not exist, a section (`#anchor`) its page
 * does not have (headings by the slug rule above, and ids written in HTML), a section of something that has none, or
 * a place outside docs/ (the console ships docs/ alone).
 */
export function checkHandbookLinks(docsDir: string = DOCS_DIR): LinkProblem[] {
  const files = handbookFiles(docsDir);
  const outlines = new Map(files.filter((f) => f.endsWith('.md')).map((f) => [f, outlinePage(readFileSync(path.join(docsDir, f), 'utf8'), f)]));
  const problems: LinkProblem[] = [];
  for (const [page, outline] of outlines) {
    for (const { href } of outline.links) {
      const target = resolveLink(page, href);
      if (target.kind === 'external') continue;
      if (target.kind === 'outside') {
        problems.push({ page, href, problem: `leaves the handbook (${target.file}): the console ships docs/ only` });
        continue;
      }
      const key = pageKey(docsDir, target.file);
      if (key === null) {
        problems.push({ page, href, problem: `${target.file} does not exist` });
        continue;
      }
      if (target.anchor === null) continue;
      const anchors = outlines.get(key)?.anchors;
      if (!anchors) problems.push({ page, href, problem: `${key} has no sections to link to` });
      else if (!anchors.has(target.anchor)) problems.push({ page, href, problem: `${key} has no section #${target.anchor}` });
    }
  }
  return problems;
}

/** One page of the handbook read as the check reads it; null when there is no such page. */
export function readPage(page: string, docsDir: string = DOCS_DIR): PageOutline | null {
  const file = path.join(docsDir, page);
  return existsSync(file) ? outlinePage(readFileSync(file, 'utf8'), page) : null;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One page of the built handbook: its HTML, and the pictures it shows (their paths under docs/, for the build to bundle). */
export interface RenderedPage {
  title: string;
  html: string;
}

export interface RenderedHandbook {
  /** Pages by key: a path under docs/ (`operations/exceptions.md`), or a folder without a README (`decisions/`). */
  pages: Record<string, RenderedPage>;
  /** The pictures the pages show, as paths under docs/; in `html` each stands as `assetToken(i)` for the build to fill in. */
  assets: string[];
}

/** Where the build puts the address of the i-th picture in a page's HTML. */
export const assetToken = (i: number) => `\u0000handbook-asset-${i}\u0000`;

/**
 * Renders every page: headings with their anchors, links to other pages as console addresses (a section's anchor
 * kept), links to the web opening outside the console, pictures as tokens the build replaces with bundled files.
 * Folders without a README become a list of their pages; text files (an example configuration) a page of their text.
 */
export function renderHandbook(docsDir: string = DOCS_DIR): RenderedHandbook {
  const files = handbookFiles(docsDir);
  const assets: string[] = [];
  const assetIndex = (file: string) => {
    let i = assets.indexOf(file);
    if (i < 0) i = assets.push(file) - 1;
    return i;
  };
  const pages: Record<string, RenderedPage> = {};
  const titles = new Map<string, string>();

  for (const file of files.filter((f) => f.endsWith('.md'))) {
    const outline = outlinePage(readFileSync(path.join(docsDir, file), 'utf8'), file);
    titles.set(file, outline.title);
    const href = (raw: string, image: boolean): string => {
      const target = resolveLink(file, raw);
      if (target.kind !== 'handbook') return raw;
      if (image || IMAGE.test(target.file)) return existsSync(path.join(docsDir, target.file)) ? assetToken(assetIndex(target.file)) : raw;
      const key = pageKey(docsDir, target.file) ?? target.file;
      return handbookAddress(target.anchor ? `${key}#${target.anchor}` : key);
    };
    const marked = new Marked({
      gfm: true,
      renderer: {
        heading(token) {
          const id = outline.headingIds.get(token) ?? new Slugger().slug(plainText(token.tokens));
          return `<h${token.depth} id="${escapeHtml(id)}">${this.parser.parseInline(token.tokens)}</h${token.depth}>\n`;
        },
        link(token) {
          const external = resolveLink(file, token.href).kind === 'external';
          const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
          const target = external ? ' target="_blank" rel="noreferrer"' : '';
          return `<a href="${escapeHtml(href(token.href, false))}"${title}${target}>${this.parser.parseInline(token.tokens)}</a>`;
        },
        image(token) {
          return `<img src="${escapeHtml(href(token.href, true))}" alt="${escapeHtml(token.text)}"${token.title ? ` title="${escapeHtml(token.title)}"` : ''}>`;
        },
        html(token) {
          return token.text.replace(HTML_LINK, (whole, attr: string, value: string) => {
            const target = resolveLink(file, unescapeHtml(value));
            return target.kind === 'handbook' ? ` ${attr}="${escapeHtml(href(unescapeHtml(value), attr === 'src'))}"` : whole;
          });
        },
      },
    });
    pages[file] = { title: outline.title, html: marked.parser(outline.tokens as Parameters<typeof marked.parser>[0]) };
  }

  for (const file of files.filter((f) => TEXT.test(f))) {
    const text = readFileSync(path.join(docsDir, file), 'utf8');
    pages[file] = {
      title: path.posix.basename(file),
      html: `<h1>${escapeHtml(path.posix.basename(file))}</h1>\n<pre><code>${escapeHtml(text)}</code></pre>\n`,
    };
  }

  // A folder without a README of its own: the list of what it holds, by title.
  const folders = new Set(
    files.flatMap((f) =>
      f
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => `${parts.slice(0, i + 1).join('/')}/`),
    ),
  );
  for (const folder of folders) {
    if (pages[`${folder}README.md`]) continue;
    const inside = Object.keys(pages).filter((k) => k.startsWith(folder) && !k.slice(folder.length).includes('/'));
    const items = inside.map((k) => `<li><a href="${handbookAddress(k)}">${escapeHtml(titles.get(k) ?? pages[k]!.title)}</a></li>`).join('\n');
    pages[folder] = { title: folder, html: `<h1>${escapeHtml(folder)}</h1>\n<ul>\n${items}\n</ul>\n` };
  }
  return { pages, assets };
}
