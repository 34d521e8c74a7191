import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { CONTRACT_VERSION, ClientMessageSchema, ContractError, type ServerMessage } from '../../shared/contract';
import type { ContractEndpoint, Logger } from '../engine';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface ConsoleServer {
  url: string;
  port: number;
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
  /** Fixed for tests; otherwise a fresh random token per run. */
  token?: string;
}

/**
 * Serves the built console and the engine's contract over a WebSocket, on 127.0.0.1 only. A connection
 * must carry this run's token; a page from another origin is refused even with it.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = path.resolve(options.staticDir);
  const server = http.createServer((req, res) => {
    // Nothing a client sends may take the host down: whatever slips past the checks below is a 400 (or 500), not a crash.
    try {
      serveStatic(root, req, res);
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
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const clients = new Set<WebSocket>();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const origin = req.headers.origin;
    const given = url.searchParams.get('token');
    const refusal =
      url.pathname !== '/api' ? '404 Not Found' : origin !== undefined && !allowedOrigins.has(origin) ? '403 Forbidden' : !given ? '401 Unauthorized' : null;
    if (refusal) {
      options.logger.warn('Console connection refused', { reason: refusal, origin: origin ?? null });
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (!tokenMatches(given, token)) {
      // A page of our own with a token from an earlier run: close with 4401 so the console can say "open the link
      // the engine printed" instead of retrying. Nothing it sends is read.
      options.logger.warn('Console connection refused', { reason: 'stale or wrong token', origin: origin ?? null });
      wss.handleUpgrade(req, socket, head, (ws) => ws.close(4401, 'token refused'));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', (data) => void answer(ws, data.toString()));
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
    url: `http://127.0.0.1:${port}`,
    port,
    consoleUrl: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  const pathname = requestPath(req.url);
  if (pathname === null) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request');
    return;
  }
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
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
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
