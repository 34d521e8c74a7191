import { SlError, badRequest, errorBody, type SlVersion } from './errors';
import { boundaryOf, joinParts, parseHttpMessage, splitParts } from './multipart';
import type { SlRequest, SlResponse } from './routes';
import type { EmulatorState } from './state';

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  412: 'Precondition Failed',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

class ChangeSetFailed extends Error {
  constructor(
    readonly response: SlResponse,
    readonly contentId: string | undefined,
  ) {
    super('change set failed');
  }
}

function httpPart(res: SlResponse, contentId?: string): string {
  const head = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', ...(contentId ? [`Content-ID: ${contentId}`] : [])].join('\r\n');
  const inner = [`HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}`.trimEnd(), ...Object.entries(res.headers ?? {}).map(([k, v]) => `${k}: ${v}`)];
  if (res.body !== undefined) inner.push('Content-Type: application/json;odata.metadata=minimal');
  return `${head}\r\n\r\n${inner.join('\r\n')}\r\n\r\n${res.body !== undefined ? JSON.stringify(res.body) : ''}`;
}

/**
 * Runs a $batch: parts in order, stopping at the first failure; a change set is atomic and a failed one
 * answers with a single error part. The batch itself answers 202 (v1) or 200 (v2) however its parts went.
 */
export function runBatch(
  state: EmulatorState,
  outer: SlRequest,
  rawBody: string,
  dispatch: (req: SlRequest) => SlResponse,
): { status: number; contentType: string; body: string } {
  const boundary = boundaryOf(outer.headers['content-type']);
  if (!boundary) throw badRequest('Incomplete Batch Request Body!');
  const parts = splitParts(rawBody, boundary);
  if (parts.length === 0) throw badRequest('Incomplete Batch Request Body!');
  const responseBoundary = `batchresponse_${Math.random().toString(16).slice(2)}`;
  const out: string[] = [];
  const version = outer.version;

  const toRequest = (text: string, contentIds: Map<string, string>): SlRequest => {
    const msg = parseHttpMessage(text);
    const m = /^(GET|POST|PATCH|PUT|DELETE)\s+(\S+)(?:\s+HTTP\/1\.1)?$/.exec(msg.startLine);
    if (!m) throw badRequest('Incomplete Batch Request Body!');
    let target = m[2]!;
    const ref = /^\$(\w+)(.*)$/.exec(target);
    if (ref) target = `${contentIds.get(ref[1]!) ?? target}${ref[2]}`;
    const url = new URL(target, 'http://x/');
    const prefix = `/b1s/${version}/`;
    const path = decodeURIComponent(url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname.replace(/^\//, ''));
    let body: unknown;
    if (msg.body.trim()) {
      try {
        body = JSON.parse(msg.body);
      } catch {
        throw badRequest('Incomplete Batch Request Body!');
      }
    }
    return { ...outer, method: m[1]!, path, query: url.searchParams, headers: { ...outer.headers, ...msg.headers }, body };
  };

  for (const part of parts) {
    const innerBoundary = boundaryOf(part.headers['content-type']);
    if (innerBoundary) {
      const csBoundary = `changesetresponse_${Math.random().toString(16).slice(2)}`;
      const contentIds = new Map<string, string>();
      try {
        const responses = state.atomically(() =>
          splitParts(part.body, innerBoundary).map((p) => {
            const contentId = p.headers['content-id'];
            if (version === 'v2' && !contentId)
              throw new ChangeSetFailed(errorResponse(version, new SlError(400, 244, 'Content ID should be specified in each change set request.')), undefined);
            const req = toRequest(p.body, contentIds);
            if (req.method === 'GET') throw new ChangeSetFailed(errorResponse(version, badRequest('GET is not allowed in a change set')), contentId);
            const res = dispatch(req);
            if (res.status >= 400) throw new ChangeSetFailed(res, contentId);
            const loc = res.headers?.Location;
            if (contentId && loc) contentIds.set(contentId, new URL(loc).pathname);
            return httpPart(res, contentId);
          }),
        );
        out.push(`Content-Type: multipart/mixed;boundary=${csBoundary}\r\n\r\n${joinParts(csBoundary, responses)}`);
      } catch (e) {
        if (!(e instanceof ChangeSetFailed)) throw e;
        out.push(httpPart(e.response, e.contentId));
        break;
      }
    } else {
      const res = dispatch(toRequest(part.body, new Map()));
      out.push(httpPart(res));
      if (res.status >= 400) break;
    }
  }
  return { status: version === 'v1' ? 202 : 200, contentType: `multipart/mixed;boundary=${responseBoundary}`, body: joinParts(responseBoundary, out) };
}

export function errorResponse(version: SlVersion, e: SlError): SlResponse {
  return { status: e.status, body: errorBody(version, e.code, e.message) };
}
