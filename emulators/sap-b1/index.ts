import http from 'node:http';
import https from 'node:https';
import { randomUUID, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { adminRoute, type EmulatorAdmin } from './admin';
import { runBatch, errorResponse } from './batch';
import { despatch } from './despatch';
import { SlError, conflict, errorBody, loginFailed, notFound, sessionExpired, type SlVersion } from './errors';
import { Faults, type FaultRule } from './faults';
import { route, type SlRequest, type SlResponse } from './routes';
import { seed, type SeedOptions } from './seed';
import { EmulatorState, SQL_QUERY_ACCESS, round, type SqlQueryAccess } from './state';

export interface SapEmulatorOptions {
  /** 0 (default) picks a free port. The emulator always binds 127.0.0.1. */
  port?: number;
  /** Serve HTTPS with a self-signed certificate, like a fresh Service Layer install. */
  https?: boolean;
  /** Use this certificate instead of generating one (PEM). */
  tls?: { cert: string; key: string };
  company?: string;
  user?: string;
  password?: string;
  /** Idle minutes before a session expires (SAP's default: 30). */
  sessionTimeoutMinutes?: number;
  /** Seed options; false starts with an empty company. */
  seed?: SeedOptions | false;
  faults?: FaultRule[];
  /** The emulator's clock (defaults to Date.now). */
  now?: () => number;
  /** Whether /ping answers (Service Layer 9.3 PL10+); default true. */
  ping?: boolean;
  /**
   * ETags and If-Match on the sets SAP versions (10.0 FP 2102+); default true. False emulates an older Service
   * Layer: no ETag header or annotation, and If-Match is ignored.
   */
  etags?: boolean;
  /**
   * SQLQueries on this Service Layer (default `available`): `absent` emulates one before 10.0 FP 2011, which has no
   * such entity set; `not-permitted` one where the user or company may not create or run SQL queries.
   */
  sqlQueries?: SqlQueryAccess;
  /** Told each B1SESSION value the emulator issues (the secrets scan looks for them where they must not be). */
  onSession?: (sessionId: string) => void;
}

export interface SapEmulator extends EmulatorAdmin {
  url: string;
  port: number;
  certificate?: { sha256: string; pem: string };
  /** The live company state, for tests that need to look inside. */
  readonly state: EmulatorState;
  stop(): Promise<void>;
}

export const DEFAULTS = { company: 'SBODEMOGB', user: 'manager', password: 'manager', sessionTimeoutMinutes: 30 } as const;

function mulberry(seedValue: number) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function readCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

const APACHE_REQUEST_LINE = 8190;
const APACHE_414 = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>414 Request-URI Too Long</title>
</head><body>
<h1>Request-URI Too Long</h1>
<p>The requested URL's length exceeds the capacity
limit for this server.<br />
</p>
</body></html>
`;

/** Starts a SAP Business One Service Layer emulator on 127.0.0.1 (see docs/emulators/sap-b1.md). */
export async function startSapEmulator(options: SapEmulatorOptions = {}): Promise<SapEmulator> {
  const company = options.company ?? DEFAULTS.company;
  const user = options.user ?? DEFAULTS.user;
  const password = options.password ?? DEFAULTS.password;
  const timeoutMinutes = options.sessionTimeoutMinutes ?? DEFAULTS.sessionTimeoutMinutes;
  const now = options.now ?? Date.now;
  let seedOptions = options.seed;
  let sqlQueryAccess: SqlQueryAccess = options.sqlQueries ?? 'available';
  const faults = new Faults(mulberry(7));
  faults.set(options.faults ?? []);

  const fresh = () => {
    const s = new EmulatorState(company, now);
    s.etags = options.etags !== false;
    s.sqlQueryAccess = sqlQueryAccess;
    if (seedOptions !== false) seed(s, seedOptions ?? {});
    return s;
  };
  let state = fresh();

  let tls = options.tls;
  let certificate: { sha256: string; pem: string } | undefined;
  if (options.https) {
    if (!tls) {
      const pems = await generate([{ name: 'commonName', value: 'sap-b1-emulator' }], {
        keySize: 2048,
        algorithm: 'sha256',
        extensions: [
          {
            name: 'subjectAltName',
            altNames: [
              { type: 7, ip: '127.0.0.1' },
              { type: 2, value: 'localhost' },
            ],
          },
        ],
      });
      tls = { cert: pems.cert, key: pems.private };
    }
    certificate = { sha256: new X509Certificate(tls.cert).fingerprint256, pem: tls.cert };
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // The Service Layer sits behind Apache, whose request line holds 8,190 bytes (LimitRequestLine): a longer one
    // gets Apache's own 414 page, never SAP's JSON.
    if (`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`.length > APACHE_REQUEST_LINE) {
      res.writeHead(414, { 'Content-Type': 'text/html; charset=iso-8859-1', Connection: 'close' });
      res.end(APACHE_414);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(String(e));
        }
      });
    });
  };
  // Headers up to 1 MB are read, so a request line too long for Apache is answered as Apache answers it.
  const server = tls
    ? https.createServer({ cert: tls.cert, key: tls.key, maxHeaderSize: 1 << 20 }, handler)
    : http.createServer({ maxHeaderSize: 1 << 20 }, handler);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  const send = (res: http.ServerResponse, status: number, headers: Record<string, string | string[]>, body?: string) => {
    res.writeHead(status, headers);
    res.end(body);
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    const started = now();
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const cookies = readCookies(req.headers.cookie);
    const record = (status: number) =>
      state.recordCall({
        at: started,
        method,
        path: url.pathname + url.search,
        status,
        latencyMs: now() - started,
        cookies: { B1SESSION: 'B1SESSION' in cookies, ROUTEID: 'ROUTEID' in cookies },
      });

    if (url.pathname.startsWith('/__admin/')) {
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return send(res, 400, { 'Content-Type': 'application/json' }, JSON.stringify({ error: 'Invalid JSON' }));
      }
      try {
        const r = adminRoute(handle_, method, url.pathname, body);
        return send(res, r.status, { 'Content-Type': 'application/json' }, r.body === undefined ? undefined : JSON.stringify(r.body));
      } catch (e) {
        const err = e instanceof SlError ? { code: e.code, message: e.message } : { message: String(e) };
        return send(res, 400, { 'Content-Type': 'application/json' }, JSON.stringify({ error: err }));
      }
    }

    if (/^\/ping(\/(load-balancer|node\/\d+))?\/?$/.test(url.pathname) && method === 'GET' && options.ping !== false) {
      record(200);
      return send(
        res,
        200,
        { 'Content-Type': 'application/json' },
        JSON.stringify({ message: 'pong', sender: url.pathname.includes('node') ? 'node' : 'load balancer', timestamp: now() / 1000 }),
      );
    }

    const m = /^\/b1s\/(v1|v2)\/(.*)$/.exec(url.pathname);
    if (!m) {
      record(404);
      return send(res, 404, { 'Content-Type': 'text/plain' }, 'Not Found');
    }
    const version = m[1] as SlVersion;
    const path = decodeURIComponent(m[2]!);
    const contentType = version === 'v1' ? 'application/json;odata=minimalmetadata;charset=utf-8' : 'application/json;odata.metadata=minimal;charset=utf-8';
    const reply = (r: SlResponse, extraHeaders: Record<string, string | string[]> = {}) => {
      record(r.status);
      const headers: Record<string, string | string[]> = { ...(r.headers ?? {}), ...extraHeaders };
      if (r.body !== undefined) headers['Content-Type'] = contentType;
      send(res, r.status, headers, r.body === undefined ? undefined : JSON.stringify(r.body));
    };
    const fail = (e: SlError) => reply({ status: e.status, body: errorBody(version, e.code, e.message) });

    const fired = faults.take(method, path);
    for (const f of fired) if (f.kind === 'latency') await sleep(f.ms ?? 100);
    const hang = fired.find((f) => f.kind === 'hang');
    if (hang) {
      await sleep(hang.ms ?? 5_000);
      record(0);
      req.socket.destroy();
      return;
    }
    const five = fired.find((f) => f.kind === 'error5xx');
    if (five) {
      record(five.status ?? 503);
      return send(res, five.status ?? 503, { 'Content-Type': 'text/html' }, '<html><body><h1>Service Unavailable</h1></body></html>');
    }

    let body: unknown;
    if (raw && !(path === '$batch')) {
      try {
        body = JSON.parse(raw);
      } catch {
        return fail(new SlError(400, -1000, 'Invalid JSON body'));
      }
    }

    if (path === 'Login' && method === 'POST') {
      const b = (body ?? {}) as Record<string, unknown>;
      for (const k of Object.keys(b))
        if (!['CompanyDB', 'UserName', 'Password', 'Language'].includes(k)) return fail(new SlError(400, -1000, `Property '${k}' of 'Login' is invalid`));
      if (b.CompanyDB !== company || b.UserName !== user || b.Password !== password) return fail(loginFailed());
      const id = randomUUID();
      state.sessions.set(id, { id, user, lastUsed: now() });
      options.onSession?.(id);
      const payload =
        version === 'v1'
          ? { 'odata.metadata': `${origin}/b1s/v1/$metadata#B1Sessions/@Element`, SessionId: id, Version: '1000110', SessionTimeout: timeoutMinutes }
          : { '@odata.context': `${origin}/b1s/v2/$metadata#B1Sessions/$entity`, SessionId: id, Version: '1000110', SessionTimeout: timeoutMinutes };
      // SAP's B1SESSION cookie has no Path and a trailing semicolon; ROUTEID comes from the load balancer.
      return reply({ status: 200, body: payload }, { 'Set-Cookie': [`B1SESSION=${id};HttpOnly;`, 'ROUTEID=.node1; path=/b1s'] });
    }

    const sessionId = cookies['B1SESSION'];
    if (fired.some((f) => f.kind === 'expireSession') && sessionId) state.sessions.delete(sessionId);
    const session = sessionId ? state.sessions.get(sessionId) : undefined;
    if (!session || now() - session.lastUsed > timeoutMinutes * 60_000) {
      if (session) state.sessions.delete(session.id);
      return fail(sessionExpired());
    }
    session.lastUsed = now();

    if (path === 'Logout' && method === 'POST') {
      state.sessions.delete(session.id);
      return reply({ status: 204 });
    }
    if (fired.some((f) => f.kind === 'conflict')) return fail(conflict(req.headers['if-match'] !== undefined));

    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
    const slReq: SlRequest = { method, path, query: url.searchParams, headers, body, version, origin };
    const dispatch = (r: SlRequest): SlResponse => {
      try {
        return route(state, r);
      } catch (e) {
        if (e instanceof SlError) return errorResponse(version, e);
        throw e;
      }
    };

    const slowCommit = fired.find((f) => f.kind === 'slowCommit');
    if (slowCommit) await sleep(slowCommit.ms ?? 5_000);

    let result: SlResponse | { status: number; contentType: string; body: string };
    if (path === '$batch' && method === 'POST') {
      try {
        result = runBatch(state, slReq, raw, dispatch);
      } catch (e) {
        if (e instanceof SlError) return fail(e);
        throw e;
      }
    } else {
      result = dispatch(slReq);
    }

    if (fired.some((f) => f.kind === 'loseResponse')) {
      record(0);
      req.socket.destroy();
      return;
    }
    const slow = fired.find((f) => f.kind === 'slowResponse');
    if (slow) await sleep(slow.ms ?? 5_000);
    if ('contentType' in result) {
      record(result.status);
      return send(res, result.status, { 'Content-Type': result.contentType }, result.body);
    }
    reply(result);
  }

  const handle_: SapEmulator = {
    url: origin,
    port,
    certificate,
    get state() {
      return state;
    },
    reset() {
      sqlQueryAccess = options.sqlQueries ?? 'available';
      state = fresh();
      faults.set([]);
    },
    seed(opts: SeedOptions) {
      seedOptions = opts;
      state = fresh();
      faults.set([]);
    },
    calls: () => [...state.calls],
    clearCalls: () => {
      state.calls = [];
    },
    faults: () => faults.rules.map((r) => ({ ...r })),
    setFaults: (rules) => faults.set(rules),
    addFault: (rule) => faults.add(rule),
    expireSessions: () => state.sessions.clear(),
    setSqlQueries(access) {
      if (!SQL_QUERY_ACCESS.includes(access)) throw new SlError(400, -1000, `SQLQueries access is one of ${SQL_QUERY_ACCESS.join(', ')}`);
      sqlQueryAccess = access;
      state.sqlQueryAccess = access;
    },
    despatch: (request) => despatch(state, request),
    setStock(itemCode, warehouseCode, inStock) {
      const item = state.items.get(itemCode);
      const info = item ? state.warehouseInfo(item, warehouseCode) : undefined;
      if (!item || !info) throw notFound();
      const delta = round(inStock - info.InStock);
      info.InStock = inStock;
      if (item.ManageBatchNumbers === 'tYES' && delta !== 0) {
        const m = state.batchMap(itemCode, warehouseCode);
        const name = `ADJ-${itemCode}-${warehouseCode}`;
        m.set(name, Math.max(0, (m.get(name) ?? 0) + delta));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return handle_;
}

export type { FaultRule } from './faults';
export type { SeedOptions } from './seed';
export type { DespatchRequest } from './despatch';
export type { SqlQueryAccess } from './state';
