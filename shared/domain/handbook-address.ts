/**
 * Where the handbook opens in the console: `#/handbook/<page>` and, for a section, `#<anchor>` after it, e.g.
 * `#/handbook/operations/exceptions.md#orders-sku-unknown`. A page is a path under docs/ as the repository has it (a
 * folder ends in `/`). The build writes these addresses into the handbook's own links; the console follows them.
 */
export const HANDBOOK_HOME = 'README.md';

const PREFIX = '#/handbook/';

export interface HandbookPlace {
  page: string;
  anchor: string | null;
}

/** The address of a page of the handbook, or of a section of it: 'operations/exceptions.md#orders-sku-unknown'. */
export function handbookAddress(place: string): string {
  return `${PREFIX}${place}`;
}

/** The handbook page and section an address names; null when the address is not the handbook's. */
export function handbookPlaceFromHash(hash: string): HandbookPlace | null {
  if (hash === '#/handbook' || hash === PREFIX) return { page: HANDBOOK_HOME, anchor: null };
  if (!hash.startsWith(PREFIX)) return null;
  let rest = hash.slice(PREFIX.length);
  try {
    rest = decodeURI(rest);
  } catch {
    // Not valid percent-encoding: taken as written.
  }
  const cut = rest.indexOf('#');
  const page = cut < 0 ? rest : rest.slice(0, cut);
  const anchor = cut < 0 ? null : rest.slice(cut + 1) || null;
  return { page: page || HANDBOOK_HOME, anchor };
}
