import Decimal from 'decimal.js';
import type { EntitySetName, PropertyOf } from './schema';

/** A date for a filter: SAP compares date fields on the day only. */
export interface SapDateLiteral {
  readonly kind: 'date';
  readonly value: string;
}
/** A time of day for a filter (UpdateTime, DocTime): SAP compares hour and minute only. */
export interface SapTimeLiteral {
  readonly kind: 'time';
  readonly value: string;
}
export type SapLiteral = string | number | Decimal | SapDateLiteral | SapTimeLiteral;

/** `sapDate('2026-11-26')` or `sapDate(new Date())` (the UTC day). */
export function sapDate(d: Date | string): SapDateLiteral {
  const value = typeof d === 'string' ? d : d.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`Not a date (YYYY-MM-DD): ${value}`);
  return { kind: 'date', value };
}

export function sapTime(t: Date | string): SapTimeLiteral {
  const value = typeof t === 'string' ? t : t.toISOString().slice(11, 16);
  if (!/^\d{2}:\d{2}(:\d{2})?$/.test(value)) throw new Error(`Not a time (HH:MM): ${value}`);
  return { kind: 'time', value: value.slice(0, 5) };
}

/** Formats a literal the way Service Layer parses it: strings in single quotes with quotes doubled. */
export function literal(v: SapLiteral): string {
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Not a finite number: ${v}`);
    return String(v);
  }
  if (v instanceof Decimal) return v.toString();
  return `'${v.value}'`;
}

/** A $filter expression, built only from declared property names. */
export interface SapFilter {
  readonly expr: string;
}

const cmp =
  (op: string) =>
  <S extends EntitySetName>(prop: PropertyOf<S>, value: SapLiteral): SapFilter => ({ expr: `${prop} ${op} ${literal(value)}` });
const group = (op: 'and' | 'or', parts: SapFilter[]): SapFilter => {
  if (parts.length === 0) throw new Error(`${op}() needs at least one condition`);
  return { expr: parts.length === 1 ? parts[0]!.expr : parts.map((p) => `(${p.expr})`).join(` ${op} `) };
};

/** Filter helpers for one entity set; SAP supports only these operators and string functions. */
export function filterBuilder<S extends EntitySetName>() {
  return {
    eq: cmp('eq') as (prop: PropertyOf<S>, value: SapLiteral) => SapFilter,
    ne: cmp('ne') as (prop: PropertyOf<S>, value: SapLiteral) => SapFilter,
    gt: cmp('gt') as (prop: PropertyOf<S>, value: SapLiteral) => SapFilter,
    ge: cmp('ge') as (prop: PropertyOf<S>, value: SapLiteral) => SapFilter,
    lt: cmp('lt') as (prop: PropertyOf<S>, value: SapLiteral) => SapFilter,
    le: cmp('le') as (prop: PropertyOf<S>, value: SapLiteral) => SapFilter,
    and: (...parts: SapFilter[]) => group('and', parts),
    or: (...parts: SapFilter[]) => group('or', parts),
    not: (part: SapFilter): SapFilter => ({ expr: `not (${part.expr})` }),
    startsWith: (prop: PropertyOf<S>, value: string): SapFilter => ({ expr: `startswith(${prop},${literal(value)})` }),
    endsWith: (prop: PropertyOf<S>, value: string): SapFilter => ({ expr: `endswith(${prop},${literal(value)})` }),
    contains: (prop: PropertyOf<S>, value: string): SapFilter => ({ expr: `contains(${prop},${literal(value)})` }),
  };
}
export type FilterBuilder<S extends EntitySetName> = ReturnType<typeof filterBuilder<S>>;

/** A typed query on one entity set: `sapQuery('Orders').select('DocEntry').filter(f => f.eq('NumAtCard', '000086')).top(5)`. */
export class SapQuery<S extends EntitySetName> {
  private selects: PropertyOf<S>[] = [];
  private where?: SapFilter;
  private order: string[] = [];
  private limit?: number;
  private offset?: number;

  constructor(readonly set: S) {}

  select(...props: PropertyOf<S>[]): this {
    this.selects.push(...props);
    return this;
  }

  filter(f: SapFilter | ((b: FilterBuilder<S>) => SapFilter)): this {
    this.where = typeof f === 'function' ? f(filterBuilder<S>()) : f;
    return this;
  }

  orderBy(prop: PropertyOf<S>, direction: 'asc' | 'desc' = 'asc'): this {
    this.order.push(`${prop} ${direction}`);
    return this;
  }

  top(n: number): this {
    if (!Number.isInteger(n) || n < 0) throw new Error(`$top must be a non-negative integer, got ${n}`);
    this.limit = n;
    return this;
  }

  skip(n: number): this {
    if (!Number.isInteger(n) || n < 0) throw new Error(`$skip must be a non-negative integer, got ${n}`);
    this.offset = n;
    return this;
  }

  /** The path below the service root, e.g. `Orders?$select=DocEntry&$filter=NumAtCard%20eq%20'000086'`. */
  toString(): string {
    const parts: string[] = [];
    if (this.selects.length) parts.push(`$select=${this.selects.join(',')}`);
    if (this.where) parts.push(`$filter=${encodeURIComponent(this.where.expr)}`);
    if (this.order.length) parts.push(`$orderby=${encodeURIComponent(this.order.join(','))}`);
    if (this.limit !== undefined) parts.push(`$top=${this.limit}`);
    if (this.offset !== undefined) parts.push(`$skip=${this.offset}`);
    return parts.length ? `${this.set}?${parts.join('&')}` : this.set;
  }
}

export const sapQuery = <S extends EntitySetName>(set: S) => new SapQuery(set);

/** A key in a resource path: `Orders(5)`, `Items('A''B')`. */
export function keyPath(set: EntitySetName, key: string | number): string {
  return `${set}(${typeof key === 'number' ? String(key) : encodeURIComponent(literal(key))})`;
}
