import type { EmulatorState } from './state';

export interface Ctx {
  state: EmulatorState;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (null when none or not JSON). */
  body: unknown;
  /** multipart/form-data parts by field name. */
  parts: Record<string, string>;
  /** The address the client reached the emulator at (Host / X-Forwarded-*), for absolute URLs in answers. */
  baseUrl: string;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export const ok = (json: unknown, status = 200): Reply => ({ status, json });
export const noContent = (): Reply => ({ status: 204 });
/** Mirakl's classic error body: a message and the status. */
export const fail = (status: number, message: string, code?: string): Reply => ({ status, json: { status, message, ...(code ? { code } : {}) } });

export function asObject(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
export function asArray(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.map(asObject) : [];
}

/** Reads the parts of a multipart/form-data body (text fields and files, as text). */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string> {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return {};
  const parts: Record<string, string> = {};
  const text = body.toString('utf8');
  for (const chunk of text.split(`--${boundary}`)) {
    const split = chunk.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = chunk.slice(0, split);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (!name) continue;
    parts[name] = chunk.slice(split + 4).replace(/\r\n$/, '');
  }
  return parts;
}

/** A seek page request (RT11, TL02, ST11): `limit` up to `max`, and the position an earlier page's token carries. */
export interface SeekRequest {
  limit: number;
  offset: number;
  /** With a token Mirakl ignores every other filter: the token carries the listing. */
  continued: boolean;
}

const seekToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64url');

/** Reads `limit` and `page_token` as Mirakl's seek paging does; a bad one is the 400 Mirakl gives. */
export function seekRequest(query: URLSearchParams, max: number): SeekRequest | Reply {
  const limit = Number(query.get('limit') ?? '10');
  if (!Number.isInteger(limit) || limit < 1 || limit > max) return fail(400, `limit must be between 1 and ${max}`);
  const pageToken = query.get('page_token');
  let offset = 0;
  if (pageToken) {
    try {
      offset = Number(JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8')).offset);
    } catch {
      offset = -1;
    }
    if (!Number.isInteger(offset) || offset < 0) return fail(400, 'Invalid page_token');
  }
  return { limit, offset, continued: !!pageToken };
}

/** One seek page of `all`, with the tokens for the next and previous pages. */
export function seekPage<T>(all: readonly T[], page: SeekRequest, toJson: (item: T) => unknown): Reply {
  const { limit, offset } = page;
  return ok({
    data: all.slice(offset, offset + limit).map(toJson),
    ...(offset + limit < all.length ? { next_page_token: seekToken(offset + limit) } : {}),
    ...(offset > 0 ? { previous_page_token: seekToken(Math.max(0, offset - limit)) } : {}),
  });
}
