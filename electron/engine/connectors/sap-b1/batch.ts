import { randomUUID } from 'node:crypto';
import { classifyResponse, type SapError } from './errors';
import type { SapVersion } from './schema';

export interface BatchOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below the service root (`Orders`, `Orders(5)/Close`), or `$1` to address what Content-ID 1 created. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A plain operation, or a change set: atomic, writes only, every part numbered with a Content-ID. */
export type BatchItem = BatchOperation | { changeSet: BatchOperation[] };

export interface BatchPartResult {
  /** Index of the item in the request; for change-set parts, also the part's index inside it. */
  item: number;
  part?: number;
  contentId?: string;
  status: number;
  body?: unknown;
  location?: string;
  error?: SapError;
}

export interface BatchResult {
  /** True when every operation ran and succeeded. */
  ok: boolean;
  parts: BatchPartResult[];
  /** The first failure: SAP stops the batch there, and a failed change set is rolled back as a whole. */
  failure?: { item: number; contentId?: string; error: SapError };
  /** Items SAP never ran because an earlier one failed. */
  notRun: number[];
}

const CRLF = '\r\n';

function requestPart(version: SapVersion, op: BatchOperation, contentId?: string): string {
  const head = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', ...(contentId ? [`Content-ID: ${contentId}`] : [])].join(CRLF);
  const target = op.path.startsWith('$') ? op.path : `/b1s/${version}/${op.path}`;
  const inner = [`${op.method} ${target} HTTP/1.1`, ...Object.entries(op.headers ?? {}).map(([k, v]) => `${k}: ${v}`)];
  if (op.body !== undefined) inner.push('Content-Type: application/json');
  // A GET part still needs its empty header block and empty body: SAP rejects it otherwise.
  return `${head}${CRLF}${CRLF}${inner.join(CRLF)}${CRLF}${CRLF}${op.body !== undefined ? JSON.stringify(op.body) : ''}`;
}

/** Builds the multipart/mixed body; v2 requires a Content-ID on every change-set part, so every part gets one. */
export function buildBatch(version: SapVersion, items: BatchItem[]): { contentType: string; body: string } {
  const boundary = `batch_${randomUUID()}`;
  let contentId = 0;
  const parts = items.map((item) => {
    if ('changeSet' in item) {
      if (item.changeSet.some((op) => op.method === 'GET')) throw new Error('A change set may not contain GET requests');
      const cs = `changeset_${randomUUID()}`;
      const inner = item.changeSet.map((op) => `--${cs}${CRLF}${requestPart(version, op, String(++contentId))}${CRLF}`).join('') + `--${cs}--`;
      return `Content-Type: multipart/mixed;boundary=${cs}${CRLF}${CRLF}${inner}`;
    }
    return requestPart(version, item);
  });
  const body = parts.map((p) => `--${boundary}${CRLF}${p}${CRLF}`).join('') + `--${boundary}--${CRLF}`;
  return { contentType: `multipart/mixed;boundary=${boundary}`, body };
}

interface RawPart {
  headers: Record<string, string>;
  body: string;
}

const boundaryOf = (ct: string | undefined) => /boundary=("?)([^";]+)\1/i.exec(ct ?? '')?.[2];

function headersOf(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.split(CRLF)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function split(body: string, boundary: string): RawPart[] {
  const text = body.replace(/\r?\n/g, CRLF);
  const out: RawPart[] = [];
  for (const chunk of text.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const content = chunk.replace(/^\r\n/, '').replace(/\r\n$/, '');
    const at = content.indexOf(CRLF + CRLF);
    out.push({ headers: headersOf(at >= 0 ? content.slice(0, at) : content), body: at >= 0 ? content.slice(at + 4) : '' });
  }
  return out;
}

function readHttp(part: RawPart): { status: number; headers: Record<string, string>; body?: unknown } {
  const text = part.body;
  const at = text.indexOf(CRLF + CRLF);
  const head = at >= 0 ? text.slice(0, at) : text;
  const rest = (at >= 0 ? text.slice(at + 4) : '').trim();
  const [statusLine = '', ...lines] = head.split(CRLF);
  const status = Number(/HTTP\/1\.1\s+(\d{3})/.exec(statusLine)?.[1] ?? 0);
  let body: unknown;
  if (rest) {
    try {
      body = JSON.parse(rest);
    } catch {
      body = rest;
    }
  }
  return { status, headers: headersOf(lines.join(CRLF)), body };
}

/** Reads SAP's batch response and every part's status: a 200/202 for the batch says nothing about its parts. */
export function parseBatchResponse(items: BatchItem[], contentType: string | undefined, body: string): BatchResult {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error('SAP answered the $batch without a multipart body');
  const responses = split(body, boundary);
  const parts: BatchPartResult[] = [];
  let failure: BatchResult['failure'];
  let contentId = 0;
  const firstIds = items.map((item) => {
    const first = contentId + 1;
    if ('changeSet' in item) contentId += item.changeSet.length;
    return first;
  });

  responses.forEach((response, index) => {
    const item = items[index];
    if (!item || failure) return;
    const inner = boundaryOf(response.headers['content-type']);
    if (inner) {
      split(response.body, inner).forEach((p, part) => {
        const r = readHttp(p);
        parts.push({ item: index, part, contentId: p.headers['content-id'], status: r.status, body: r.body, location: r.headers['location'] });
      });
      return;
    }
    const r = readHttp(response);
    const result: BatchPartResult = { item: index, status: r.status, body: r.body, location: r.headers['location'], contentId: response.headers['content-id'] };
    if (r.status >= 400) {
      const isChangeSet = 'changeSet' in item;
      // A failed change set comes back as one error part; its Content-ID (when SAP gives one) names the failing part.
      const failedId = result.contentId;
      const op = isChangeSet ? (item.changeSet[failedId ? Number(failedId) - firstIds[index]! : 0] ?? item.changeSet[0]!) : item;
      result.error = classifyResponse(r.status, r.body, op.method, op.path.split('?')[0] ?? op.path);
      failure = { item: index, contentId: failedId, error: result.error };
    }
    parts.push(result);
  });
  const answered = new Set(parts.map((p) => p.item));
  const notRun = items.map((_, i) => i).filter((i) => !answered.has(i));
  return { ok: !failure && notRun.length === 0, parts, failure, notRun };
}
