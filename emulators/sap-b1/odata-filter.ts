import { badRequest, invalidProperty } from './errors';

/**
 * The $filter subset SAP supports: eq ne gt ge lt le, and or not, parentheses, and only the functions
 * startswith, endswith, contains, substringof. Anything else fails with -1000 as SAP does.
 */
export type Row = Record<string, unknown>;
export type Predicate = (row: Row) => boolean;

type Token = { t: 'id' | 'str' | 'num' | 'op' | '(' | ')' | ','; v: string };

const FUNCTIONS = new Set(['startswith', 'endswith', 'contains', 'substringof']);
const COMPARE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c });
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw badRequest('Unterminated string literal in $filter');
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(src.slice(i))?.[0];
    if (word) {
      i += word.length;
      // datetime'2014-04-23' is one literal.
      if (word === 'datetime' && src[i] === "'") continue;
      const lower = word.toLowerCase();
      if (COMPARE.has(lower) || lower === 'and' || lower === 'or' || lower === 'not') out.push({ t: 'op', v: lower });
      else out.push({ t: 'id', v: word });
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i))?.[0];
    if (num) {
      out.push({ t: 'num', v: num });
      i += num.length;
      continue;
    }
    throw badRequest(`Invalid $filter near '${src.slice(i, i + 10)}'`);
  }
  return out;
}

export interface FilterContext {
  typeName: string;
  /** Property name → EDM type, from SAP's metadata, plus the company's U_ fields. */
  properties: Map<string, string>;
}

type Operand = { kind: 'prop'; name: string; edm: string } | { kind: 'lit'; value: string | number };

export function parseFilter(src: string, ctx: FilterContext): Predicate {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expect = (t: Token['t']) => {
    const tok = next();
    if (!tok || tok.t !== t) throw badRequest(`Invalid $filter: expected '${t}'`);
    return tok;
  };

  const operand = (): Operand => {
    const tok = next();
    if (!tok) throw badRequest('Invalid $filter: unexpected end');
    if (tok.t === 'str') return { kind: 'lit', value: tok.v };
    if (tok.t === 'num') return { kind: 'lit', value: Number(tok.v) };
    if (tok.t === 'id') {
      const edm = ctx.properties.get(tok.v);
      if (!edm) throw invalidProperty(tok.v, ctx.typeName);
      return { kind: 'prop', name: tok.v, edm };
    }
    throw badRequest('Invalid $filter operand');
  };

  const primary = (): Predicate => {
    const tok = peek();
    if (!tok) throw badRequest('Invalid $filter: unexpected end');
    if (tok.t === '(') {
      next();
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (tok.t === 'op' && tok.v === 'not') {
      next();
      const inner = primary();
      return (r) => !inner(r);
    }
    if (tok.t === 'id' && tokens[pos + 1]?.t === '(') {
      const fn = tok.v.toLowerCase();
      if (!FUNCTIONS.has(fn)) throw invalidProperty(tok.v, ctx.typeName);
      next();
      expect('(');
      const a = operand();
      expect(',');
      const b = operand();
      expect(')');
      const [hay, needle] = fn === 'substringof' ? [b, a] : [a, b];
      const test =
        fn === 'startswith'
          ? (h: string, n: string) => h.startsWith(n)
          : fn === 'endswith'
            ? (h: string, n: string) => h.endsWith(n)
            : (h: string, n: string) => h.includes(n);
      return (r) => test(String(value(hay, r) ?? ''), String(value(needle, r) ?? ''));
    }
    const left = operand();
    const op = next();
    if (!op || op.t !== 'op' || !COMPARE.has(op.v)) throw badRequest('Invalid $filter: expected a comparison');
    const right = operand();
    return compare(left, op.v, right);
  };

  const andExpr = (): Predicate => {
    let left = primary();
    while (peek()?.t === 'op' && peek()?.v === 'and') {
      next();
      const l = left,
        r = primary();
      left = (row) => l(row) && r(row);
    }
    return left;
  };
  const orExpr = (): Predicate => {
    let left = andExpr();
    while (peek()?.t === 'op' && peek()?.v === 'or') {
      next();
      const l = left,
        r = andExpr();
      left = (row) => l(row) || r(row);
    }
    return left;
  };

  const result = orExpr();
  if (pos !== tokens.length) throw badRequest('Invalid $filter: trailing input');
  return result;
}

function value(o: Operand, row: Row): unknown {
  return o.kind === 'prop' ? row[o.name] : o.value;
}

/** Dates compare on the day only and times on hour and minute only, as SAP documents. */
function normalise(v: unknown, edm: string | undefined): unknown {
  if (v === null || v === undefined) return null;
  if (edm === 'Edm.DateTime' || edm === 'Edm.DateTimeOffset') {
    const s = String(v);
    const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
    return compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : s.slice(0, 10);
  }
  if (edm === 'Edm.Time' || edm === 'Edm.TimeOfDay') {
    const s = String(v).replace(/^.*T/, '');
    const m = /^(\d{2}):?(\d{2})/.exec(s);
    return m ? `${m[1]}:${m[2]}` : s;
  }
  return v;
}

/** Enum values may be given by name or by stored value (CardType eq 'C' ≡ 'cCustomer'). */
const ENUM_ALIASES: Record<string, string> = { C: 'cCustomer', S: 'cSupplier', L: 'cLid', Y: 'tYES', N: 'tNO', O: 'bost_Open' };

function compare(left: Operand, op: string, right: Operand): Predicate {
  const edm = left.kind === 'prop' ? left.edm : right.kind === 'prop' ? right.edm : undefined;
  const isEnum = edm !== undefined && !edm.startsWith('Edm.');
  return (row) => {
    let a = normalise(value(left, row), edm);
    let b = normalise(value(right, row), edm);
    if (isEnum) {
      if (typeof a === 'string') a = ENUM_ALIASES[a] ?? a;
      if (typeof b === 'string') b = ENUM_ALIASES[b] ?? b;
    }
    if (typeof a === 'number' && typeof b === 'string' && b !== '') b = Number(b);
    if (typeof b === 'number' && typeof a === 'string' && a !== '') a = Number(a);
    switch (op) {
      case 'eq':
        return a === b;
      case 'ne':
        return a !== b;
      case 'gt':
        return a !== null && b !== null && (a as number) > (b as number);
      case 'ge':
        return a !== null && b !== null && (a as number) >= (b as number);
      case 'lt':
        return a !== null && b !== null && (a as number) < (b as number);
      default:
        return a !== null && b !== null && (a as number) <= (b as number);
    }
  };
}
