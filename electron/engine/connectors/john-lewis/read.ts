import Decimal from 'decimal.js';
import type { Raw } from '../ports/marketplace';

/**
 * Tolerant reading: every field may be missing or null, enums are plain strings, unknown fields stay in
 * `raw`. The JSON is parsed so that numbers with a fraction keep their source text ("7.90"), so money never
 * passes through a binary float.
 */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return null;
  const reviver = (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined && !/^-?\d+$/.test(context.source) ? context.source : value;
  return JSON.parse(text, reviver as (this: unknown, key: string, value: unknown) => unknown);
}

export function obj(value: unknown): Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

export function objOrNull(value: unknown): Raw | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : null;
}

export function arr(value: unknown): Raw[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

export function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** A whole number; a fraction (1.5) is not one, and is never cut down to one. */
export function int(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/** A decimal amount; text that is not one ("12,50", "NaN", "Infinity") is none. */
export function dec(value: unknown): Decimal | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    const d = new Decimal(String(value).trim());
    return d.isFinite() ? d : null;
  } catch {
    return null;
  }
}

/** A value as the marketplace sent it, for a sentence: text quoted, long text by its start and length. */
export function sentValue(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `'${value.slice(0, 20)}…' (${value.length} characters)` : `'${value}'`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 20)}… (${text.length} characters)` : text;
}

/**
 * Reads a value the flows reckon with; one that is there but cannot be read (a fraction for a quantity, "12,50" for a
 * price) is named in `unreadable` with the marketplace's own text, so the flow can stop the record rather than guess.
 */
export function readOrNote<T>(value: unknown, read: (v: unknown) => T | null, field: string, unreadable: string[]): T | null {
  const out = read(value);
  if (out === null && value !== null && value !== undefined) unreadable.push(`${field} ${sentValue(value)}`);
  return out;
}
