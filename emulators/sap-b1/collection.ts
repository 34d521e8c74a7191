import { badRequest, invalidProperty, type SlVersion } from './errors';
import { parseFilter, type Row } from './odata-filter';
import type { EmulatorState, Entity } from './state';

export const DEFAULT_PAGE_SIZE = 20;

/** Page size for a request: `Prefer: odata.maxpagesize=N` wins, then `B1S-PageSize`, then 20; 0 disables paging. */
export function pageSize(headers: Record<string, string | undefined>): { size: number; applied?: string } {
  const prefer = /odata\.maxpagesize=(\d+)/.exec(headers['prefer'] ?? '')?.[1];
  if (prefer !== undefined) return { size: Number(prefer), applied: `odata.maxpagesize=${prefer}` };
  const b1s = headers['b1s-pagesize'];
  if (b1s !== undefined && /^\d+$/.test(b1s)) return { size: Number(b1s) };
  return { size: DEFAULT_PAGE_SIZE };
}

const childType = (edm: string | undefined) => /^(?:Collection\()?([A-Za-z_0-9]+)\)?$/.exec(edm ?? '')?.[1];
const isDate = (edm: string | undefined) => edm === 'Edm.DateTime' || edm === 'Edm.DateTimeOffset';

/**
 * Shapes a stored entity for the wire: dates as v1 (`2026-11-26`) or v2 (`2026-11-26T00:00:00Z`) return them,
 * and v1's `BatchNumber` where v2 says `BatchNumberProperty`.
 */
export function render(state: EmulatorState, version: SlVersion, typeName: string, entity: Entity, select?: string[]): Entity {
  const props = state.properties(version, typeName);
  const out: Entity = {};
  const keys = select ?? Object.keys(entity);
  for (const key of keys) {
    let value = entity[key];
    let name = key;
    if (typeName === 'BatchNumber' && version === 'v1' && key === 'BatchNumberProperty') name = 'BatchNumber';
    const edm = props.get(name) ?? props.get(key);
    if (value === undefined) value = null;
    if (Array.isArray(value)) {
      const t = childType(edm);
      value = t ? value.map((v) => (v && typeof v === 'object' ? render(state, version, t, v as Entity) : v)) : value;
    } else if (value && typeof value === 'object') {
      const t = childType(edm);
      if (t) value = render(state, version, t, value as Entity);
    } else if (version === 'v2' && isDate(edm) && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      value = `${value}T00:00:00Z`;
    }
    out[name] = value;
  }
  return out;
}

/** Unknown names in $select fail the whole request with -1000, as SAP does. */
export function parseSelect(state: EmulatorState, version: SlVersion, typeName: string, raw: string | null): string[] | undefined {
  if (!raw) return undefined;
  const props = state.properties(version, typeName);
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) if (!props.has(n)) throw invalidProperty(n, typeName);
  return names.map((n) => (typeName === 'BatchNumber' && n === 'BatchNumber' ? 'BatchNumberProperty' : n));
}

function parseOrderBy(state: EmulatorState, version: SlVersion, typeName: string, raw: string | null) {
  if (!raw) return undefined;
  const props = state.properties(version, typeName);
  const keys = raw.split(',').map((part) => {
    const [name, dir] = part.trim().split(/\s+/);
    if (!name || !props.has(name)) throw invalidProperty(name ?? '', typeName);
    if (dir && dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid $orderby direction '${dir}'`);
    return { name, desc: dir === 'desc' };
  });
  return (a: Row, b: Row) => {
    for (const k of keys) {
      const x = a[k.name] as string | number,
        y = b[k.name] as string | number;
      if (x === y) continue;
      const c = x === null || x === undefined ? -1 : y === null || y === undefined ? 1 : x < y ? -1 : 1;
      return k.desc ? -c : c;
    }
    return 0;
  };
}

function nonNegative(raw: string | null, name: string): number | undefined {
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`Invalid ${name} value '${raw}'`);
  return Number(raw);
}

export interface CollectionRequest {
  version: SlVersion;
  /** The path as the client addressed it, e.g. `Orders` or `SQLQueries('x')/List`, for next links. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
}

/** Wraps one page of rows with the version's context and next-link keys. */
export function pageBody(
  req: CollectionRequest,
  context: string,
  rows: unknown[],
  nextSkip: number | undefined,
  remainingTop: number | undefined,
  extra: Entity = {},
): Entity {
  let next: string | undefined;
  if (nextSkip !== undefined) {
    const q = new URLSearchParams(req.query);
    q.set('$skip', String(nextSkip));
    if (remainingTop !== undefined) q.set('$top', String(remainingTop));
    else q.delete('$top');
    const qs = [...q].map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%24/g, '$').replace(/%2C/g, ',')}`).join('&');
    // v1 returns a server-absolute path, v2 a path relative to the service root.
    next = req.version === 'v1' ? `/b1s/v1/${req.path}?${qs}` : `${req.path}?${qs}`;
  }
  return req.version === 'v1'
    ? { 'odata.metadata': `https://localhost/b1s/v1/$metadata#${context}`, ...extra, value: rows, ...(next ? { 'odata.nextLink': next } : {}) }
    : { '@odata.context': `$metadata#${context}`, ...extra, value: rows, ...(next ? { '@odata.nextLink': next } : {}) };
}

/** $filter, $orderby, $skip, $top, $select and server-side paging over a set of stored entities. */
export function queryCollection(
  state: EmulatorState,
  req: CollectionRequest,
  setName: string,
  typeName: string,
  source: Iterable<Entity>,
  /** What SAP shows of a stored row, applied to the page's rows only. */
  view?: (e: Entity) => Entity,
): { body: Entity; headers: Record<string, string> } {
  const props = state.properties(req.version, typeName);
  for (const key of req.query.keys()) {
    if (key.startsWith('$') && !['$select', '$filter', '$orderby', '$top', '$skip', '$inlinecount', '$count'].includes(key))
      throw badRequest(`Query option '${key}' is not supported`);
  }
  const select = parseSelect(state, req.version, typeName, req.query.get('$select'));
  const filterSrc = req.query.get('$filter');
  const predicate = filterSrc ? parseFilter(filterSrc, { typeName, properties: props }) : undefined;
  const order = parseOrderBy(state, req.version, typeName, req.query.get('$orderby'));
  const skip = nonNegative(req.query.get('$skip'), '$skip') ?? 0;
  const top = nonNegative(req.query.get('$top'), '$top');
  const { size, applied } = pageSize(req.headers);

  let rows: Entity[] = [];
  for (const e of source) if (!predicate || predicate(e)) rows.push(e);
  if (order) rows.sort(order);
  const total = rows.length;
  const end = top !== undefined ? Math.min(total, skip + top) : total;
  const pageEnd = size > 0 ? Math.min(end, skip + size) : end;
  rows = rows.slice(skip, pageEnd);
  const more = pageEnd < end;
  const body = pageBody(
    req,
    setName,
    rows.map((r) => render(state, req.version, typeName, view ? view(r) : r, select)),
    more ? pageEnd : undefined,
    more && top !== undefined ? end - pageEnd : undefined,
  );
  if (req.query.get('$inlinecount') === 'allpages') body[req.version === 'v1' ? 'odata.count' : '@odata.count'] = req.version === 'v1' ? String(total) : total;
  return { body, headers: applied ? { 'Preference-Applied': applied } : {} };
}
