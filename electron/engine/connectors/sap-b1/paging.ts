import type { SapVersion } from './schema';

/** SAP's page of a collection: `value` plus `odata.nextLink` (v1) or `@odata.nextLink` (v2). */
export interface SapPage<T> {
  value: T[];
  nextLink?: string;
}

export function readPage<T>(data: unknown): SapPage<T> {
  const body = (data ?? {}) as Record<string, unknown>;
  const value = Array.isArray(body.value) ? (body.value as T[]) : [];
  const next = body['@odata.nextLink'] ?? body['odata.nextLink'];
  return { value, nextLink: typeof next === 'string' && next ? next : undefined };
}

/**
 * Next links come as `/b1s/v1/Orders?$skip=20` (v1), `Orders?$skip=20` (v2) or a full URL behind a proxy;
 * all become a path below the service root so they go through the same client, session and pin.
 */
export function normaliseNextLink(link: string, version: SapVersion): string {
  let path = link;
  if (/^https?:\/\//i.test(path)) path = path.replace(/^https?:\/\/[^/]+/i, '');
  const root = `/b1s/${version}/`;
  const at = path.indexOf(root);
  if (at >= 0) path = path.slice(at + root.length);
  return path.replace(/^\/+/, '');
}

/** `Prefer: odata.maxpagesize=N` asks SAP for pages of N instead of its default 20. */
export const preferPageSize = (n: number) => ({ Prefer: `odata.maxpagesize=${n}` });
