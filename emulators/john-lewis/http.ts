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
