import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdmin, type EmulatorAdmin } from './admin';
import { EMULATED_MAXIMA, isFurtherPage } from './config';
import { fail, parseMultipart, type Reply } from './http';
import { match } from './routes';
import type { EmulatorState } from './state';

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `payload`: the answer's JSON text when the caller has it already (a TL02 page of 2,000 lines is not written twice). */
function send(res: ServerResponse, reply: Reply, payload = ''): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.json !== undefined) {
    payload ||= JSON.stringify(reply.json);
    headers['content-type'] = 'application/json; charset=utf-8';
  } else if (reply.text !== undefined) {
    payload = reply.text;
    headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Sliding-window check on the emulator clock; returns seconds to wait, or 0. */
function rateLimited(state: EmulatorState, operation: string, history: Map<string, number[]>): number {
  const windows = EMULATED_MAXIMA[operation];
  if (!state.config.rateLimits || !windows) return 0;
  const now = state.clock.now();
  const calls = history.get(operation) ?? [];
  let waitMs = 0;
  for (const w of windows) {
    const inWindow = calls.filter((t) => t > now - w.windowMs);
    if (inWindow.length >= w.limit) waitMs = Math.max(waitMs, inWindow[inWindow.length - w.limit]! + w.windowMs - now);
  }
  if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
  history.set(operation, [...calls.filter((t) => t > now - 24 * 3_600_000), now]);
  return 0;
}

const firstValue = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h)?.split(',')[0]?.trim() || undefined;

/**
 * The address the client used, as a server behind a load balancer or reverse proxy sees it: X-Forwarded-Host and
 * X-Forwarded-Proto when a proxy set them, else the Host header; the listening address only when neither is usable.
 * Absolute URLs in answers (offer export files, the stock import Location) are built from it.
 */
export function requestBaseUrl(req: IncomingMessage, listening: string): string {
  const host = firstValue(req.headers['x-forwarded-host']) ?? firstValue(req.headers.host);
  if (!host || !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host)) return listening;
  const proto = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase();
  return `${proto === 'https' ? 'https' : proto === 'http' ? 'http' : new URL(listening).protocol.replace(':', '')}://${host}`;
}

export function createHandler(state: EmulatorState, admin: EmulatorAdmin, apiKey: string, baseUrl: () => string) {
  const history = new Map<string, number[]>();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? null;
    const isJson = (contentType ?? '').includes('application/json');
    let body: unknown = null;
    if (isJson && raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return send(res, fail(400, 'The body is not valid JSON'));
      }
    }
    if (url.pathname.startsWith('/__admin/')) return send(res, handleAdmin(admin, state, method, url.pathname, body));

    const found = match(method, url.pathname);
    const operation = 'route' in found ? found.route.operation : null;
    const parts = (contentType ?? '').startsWith('multipart/form-data') ? parseMultipart(raw, contentType!) : {};
    const record = (status: number, response = '') =>
      state.calls.push({
        at: state.clock.iso(),
        atMs: state.clock.now(),
        method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ''),
        operation,
        authorization: req.headers.authorization ?? null,
        contentType,
        body: Object.keys(parts).length ? JSON.stringify(parts) : raw.toString('utf8'),
        status,
        response,
      });
    const reply = async (r: Reply) => {
      const text = r.json !== undefined ? JSON.stringify(r.json) : (r.text ?? '');
      record(r.status, text);
      send(res, r, r.json !== undefined ? text : '');
    };

    if (!('route' in found))
      return reply(found.pathKnown ? fail(405, `${method} is not allowed on ${url.pathname}`) : fail(404, `No such resource ${url.pathname}`));
    const { route, params } = found;
    // The raw key, exactly: "Bearer <key>" is refused as the platform does.
    if (!route.public && req.headers.authorization !== apiKey) return reply(fail(401, 'Unauthorized'));
    state.tick();

    const faults = state.faults;
    const faultApplies = !faults.operation || faults.operation === operation;
    if (faultApplies && faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faultApplies && (faults.hangNext ?? 0) > 0) {
      faults.hangNext! -= 1;
      record(0);
      return; // never answers: the client's timeout fires
    }
    if (faultApplies && (faults.failNext ?? 0) > 0) {
      faults.failNext! -= 1;
      return reply(fail(faults.failStatus ?? 500, 'Internal server error (injected fault)'));
    }
    if (faultApplies && (faults.tooManyRequestsNext ?? 0) > 0) {
      faults.tooManyRequestsNext! -= 1;
      return reply({ ...fail(429, `Too many requests for ${route.operation}`), headers: { 'retry-after': String(faults.retryAfterSeconds ?? 1) } });
    }
    const wait = isFurtherPage(route.operation, url.searchParams, state.config) ? 0 : rateLimited(state, route.operation, history);
    if (wait > 0) return reply({ ...fail(429, `Too many requests for ${route.operation}`), headers: { 'retry-after': String(wait) } });

    const answer = route.handle({ state, params, query: url.searchParams, body, parts, baseUrl: requestBaseUrl(req, baseUrl()) });
    if (faultApplies && route.operation === 'STO01' && answer.status === 201 && (faults.failImportsNext ?? 0) > 0) {
      faults.failImportsNext! -= 1;
      const imported = state.imports.get(String((answer.json as { import_id?: unknown }).import_id));
      if (imported) imported.failed = 'The import could not be processed (injected fault)';
    }
    if (faultApplies && (faults.loseAnswerNext ?? 0) > 0) {
      faults.loseAnswerNext! -= 1;
      record(0);
      req.socket.destroy(); // carried out, but the answer never reaches the client
      return;
    }
    return reply(answer);
  };
}
