import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { CONTRACT_VERSION, ClientMessageSchema, ContractError, type ServerMessage } from '../../shared/contract';
import { consoleContentType, consoleCsp, type ContractEndpoint, type Logger } from '../engine';
import {
  CLOSE_CODES,
  CONSOLE_LIMITS,
  addressWarning,
  LOOPBACK_ADDRESS,
  allowedHostNames,
  allowedOrigins,
  decideAccess,
  isLoopback,
  messageBudget,
  tokenCookieName,
  urlHost,
  type AccessDecision,
  type AccessRules,
  type ConsoleLimits,
} from './console-access';

export interface ConsoleServer {
  url: string;
  port: number;
  /** The address it listens on: 127.0.0.1 unless one was configured. */
  address: string;
  /** The console's address with its access token: the only way in. */
  consoleUrl: string;
  close(): Promise<void>;
}

export interface ConsoleServerOptions {
  engine: ContractEndpoint;
  logger: Logger;
  /** The built console (out/renderer). */
  staticDir: string;
  port?: number;
  /**
   * The address to listen on: 127.0.0.1 (this computer only) unless IT configures another; then it is said loudly,
   * in the log and on stderr, since anyone on that network with the link can drive the console, over plain HTTP.
   */
  address?: string;
  /** Further host names browsers may use to reach a console on a configured address (the PC's name on the LAN). */
  hostNames?: readonly string[];
  /** Fixed for tests; otherwise a fresh random token per run. */
  token?: string;
  /** Tests may lower the limits to reach them quickly. */
  limits?: Partial<ConsoleLimits>;
  /** Where the warning about a non-loopback address goes besides the log (stderr by default). */
  warn?: (line: string) => void;
}

/**
 * Serves the built console and the engine's contract over a WebSocket, on 127.0.0.1 unless an address is configured.
 * Every request and connection must ask for one of this host's names (no DNS rebinding), come from no other page's
 * origin, and carry this run's token — in the link, or in the cookie the console page is given with it so its own
 * scripts and styles load. A connection is held to a message size and rate and closed with a code that says which.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const limits: ConsoleLimits = { ...CONSOLE_LIMITS, ...options.limits };
  const address = options.address ?? LOOPBACK_ADDRESS;
  const root = path.resolve(options.staticDir);
  let rules: AccessRules | null = null;
  const server = http.createServer((req, res) => {
    // Nothing a client sends may take the host down: whatever slips past the checks below is a 400 (or 500), not a crash.
    try {
      serve(req, res);
    } catch (error) {
      options.logger.warn('Console request refused', { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) res.writeHead(error instanceof URIError || error instanceof TypeError ? 400 : 500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
    }
  });
  // Requests Node cannot even parse (bad method, bad header, too large): answered and closed, never thrown.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const clients = new Set<WebSocket>();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  rules = { port, token, hostNames: allowedHostNames(address, options.hostNames) };
  // The page's WebSocket goes to the origins it may be opened from.
  const csp = consoleCsp([...allowedOrigins(rules)].map((o) => o.replace(/^http/, 'ws')));
  const publicHost = address === '0.0.0.0' || address === '::' ? LOOPBACK_ADDRESS : urlHost(address);
  const warning = addressWarning(address, port);
  if (warning) {
    options.logger.warn('Console listens on a configured address', { address, port, loopback: isLoopback(address) });
    (options.warn ?? ((line: string) => process.stderr.write(`${line}\n`)))(warning);
  }

  function refuse(res: http.ServerResponse, decision: Extract<AccessDecision, { ok: false }>): void {
    options.logger.warn('Console request refused', { reason: decision.reason });
    res.writeHead(decision.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(refusalPage(decision.reason));
  }

  function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const pathname = requestPath(req.url);
    if (pathname === null) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request');
      return;
    }
    const decision = decideAccess(req, new URL(req.url ?? '/', 'http://127.0.0.1'), rules!, { cookie: true });
    if (!decision.ok) return refuse(res, decision);
    // The link carried the token: the page's own scripts and styles (which do not) load with this cookie.
    if (decision.via === 'link') res.setHeader('Set-Cookie', `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    serveStatic(root, pathname, req, res);
  }

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // The WebSocket takes the token from the link only: a cookie rides along with any page's request, a link does not.
    const decision = url.pathname !== '/api' ? null : decideAccess(req, url, rules!, { cookie: false });
    if (decision === null || (!decision.ok && decision.reason !== 'wrong token')) {
      const status = decision === null ? '404 Not Found' : decision.status === 401 ? '401 Unauthorized' : '403 Forbidden';
      options.logger.warn('Console connection refused', { reason: decision?.reason ?? 'not found', origin: req.headers.origin ?? null });
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (!decision.ok) {
      // A page of our own with a token from an earlier run: close with 4401 so the console can say "open the link
      // the engine printed" instead of retrying. Nothing it sends is read.
      options.logger.warn('Console connection refused', { reason: 'stale or wrong token', origin: req.headers.origin ?? null });
      wss.handleUpgrade(req, socket, head, (ws) => ws.close(CLOSE_CODES.tokenRefused, 'token refused'));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (clients.size >= limits.maxConnections) {
        options.logger.warn('Console connection refused', { reason: 'too many connections', connections: clients.size });
        ws.close(CLOSE_CODES.tooManyConnections, 'too many consoles connected');
        return;
      }
      clients.add(ws);
      const budget = messageBudget(limits);
      // A message over the size limit (or a broken frame) arrives as an error the socket closes itself for (1009, 1002):
      // listened for, or it would be thrown and take the host down.
      ws.on('error', (error) =>
        options.logger.warn('Console connection closed: a message broke its limits', { error: error.message, limitBytes: limits.maxMessageBytes }),
      );
      ws.on('close', () => clients.delete(ws));
      ws.on('message', (data) => {
        if (ws.readyState !== ws.OPEN) return;
        if (!budget.take()) {
          options.logger.warn('Console connection closed: too many messages', { perSecond: limits.messagesPerSecond, burst: limits.burstMessages });
          ws.close(CLOSE_CODES.tooManyMessages, 'too many messages');
          return;
        }
        void answer(ws, data.toString());
      });
    });
  });

  async function answer(ws: WebSocket, text: string): Promise<void> {
    let id = -1;
    try {
      const parsed = ClientMessageSchema.safeParse(JSON.parse(text));
      if (!parsed.success)
        throw new ContractError('bad-payload', `Not a contract message (version ${CONTRACT_VERSION}): ${parsed.error.issues[0]?.message ?? ''}`);
      id = parsed.data.id;
      const result =
        parsed.data.kind === 'query'
          ? await options.engine.query(parsed.data.name as never, parsed.data.payload)
          : await options.engine.command(parsed.data.name as never, parsed.data.payload);
      send(ws, { v: CONTRACT_VERSION, kind: 'reply', id, ok: true, result });
    } catch (error) {
      const code = error instanceof ContractError ? error.code : 'failed';
      const message = error instanceof Error ? error.message : String(error);
      send(ws, { v: CONTRACT_VERSION, kind: 'reply', id, ok: false, error: { code, message } });
    }
  }

  const unsubscribe = options.engine.subscribe((name, payload) => {
    for (const ws of clients) send(ws, { v: CONTRACT_VERSION, kind: 'event', name, payload });
  });

  return {
    url: `http://${publicHost}:${port}`,
    port,
    address,
    consoleUrl: `http://${publicHost}:${port}/?token=${token}`,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** What a browser shows for a refused page: the console's own words for a missing or outdated link. */
function refusalPage(reason: Extract<AccessDecision, { ok: false }>['reason']): string {
  const words =
    reason === 'wrong token'
      ? 'The engine refused this console link’s access token — open the URL the engine printed when it last started.'
      : reason === 'no token'
        ? 'This console link is missing its access token — open the URL the engine printed (or the file it named).'
        : 'This console answers only on its own address, to its own pages.';
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Marketplace Console</title></head><body><h1>Marketplace Console</h1><p role="alert">${words}</p></body></html>`;
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function serveStatic(root: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(404).end();
    return;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    const missing = !existsSync(path.join(root, 'index.html'));
    res.writeHead(missing ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(missing ? 'The console is not built yet: run `npm run build:console`, then reload.' : 'Not found');
    return;
  }
  res.writeHead(200, { 'content-type': consoleContentType(file), 'cache-control': 'no-cache' });
  if (req.method === 'HEAD') res.end();
  else
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
}

/** The decoded path of a request, or null when it is not one (bad percent-encoding, a NUL, not a path at all). */
function requestPath(target: string | undefined): string | null {
  try {
    const decoded = decodeURIComponent(new URL(target ?? '/', 'http://127.0.0.1').pathname);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}
