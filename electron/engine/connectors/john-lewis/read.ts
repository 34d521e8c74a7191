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

export function int(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

export function dec(value: unknown): Decimal | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    return new Decimal(String(value).trim());
  } catch {
    return null;
  }
}
