import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import WebSocket from 'ws';
import { memoryLogger } from '../../electron/engine/logging';
import { addressWarning, CLOSE_CODES, CONSOLE_LIMITS, messageBudget } from '../../electron/host/console-access';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { healthFlow } from '../../electron/engine/flows/health/health-flow';
import { startConsoleServer, type ConsoleServer } from '../../electron/host/console-server';
import { CONTRACT_VERSION } from '../../shared/contract';
import { tempDir, testPorts } from '../support/ports';

const TOKEN = 'test-token-0123456789abcdef';

function connect(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode }));
    ws.once('error', () => resolve({ ws, status: -1 }));
  });
}

function ask(ws: WebSocket, message: object): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const parsed = JSON.parse(data.toString()) as Record<string, unknown>;
      if (parsed.kind === 'reply') {
        ws.off('message', onMessage);
        resolve(parsed);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(message));
  });
}

describe('headless host: console server', () => {
  const tmp = tempDir();
  let engine: Engine;
  let server: ConsoleServer;
  beforeAll(async () => {
    const ports = testPorts();
    engine = createEngine(ports, { ledgerFile: tmp.file('host.db'), buildFlows: () => [healthFlow(() => [])] });
    writeFileSync(tmp.file('index.html'), '<!doctype html><div id="root"></div><script type="module" src="./app.js"></script>');
    writeFileSync(tmp.file('app.js'), 'console.log("console");');
    server = await startConsoleServer({ engine, logger: ports.logger, staticDir: tmp.dir, token: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    await engine.stop();
    tmp.cleanup();
  });

  it('listens on loopback only and gives a console URL carrying the token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.address).toBe('127.0.0.1');
    expect(server.consoleUrl).toBe(`${server.url}/?token=${TOKEN}`);
    // From this computer's own network address (what another PC on the LAN would reach), nothing answers.
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    const reached = lan
      ? await new Promise<boolean>((resolve) => {
          const socket = net.connect(server.port, lan.address);
          socket.once('connect', () => (socket.destroy(), resolve(true)));
          socket.once('error', () => resolve(false));
        })
      : false;
    expect(reached).toBe(false);
  });

  it('serves the console page only with the token, its own files with the cookie the page was given, and nothing to another host name or origin', async () => {
    const page = await get(`${server.url}/?token=${TOKEN}`);
    expect(page.status).toBe(200);
    const cookie = page.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^marketplace-console-${server.port}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict$`));
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // The page's script, as the browser asks for it: with the cookie, not the token.
    expect((await get(`${server.url}/app.js`, { cookie: cookie.split(';')[0]! })).status).toBe(200);

    const refused = {
      'the page without the token': await get(`${server.url}/`),
      'a file without the cookie': await get(`${server.url}/app.js`),
      'a token from an earlier run': await get(`${server.url}/?token=from-yesterday`),
      'a token from an earlier run, even beside a good cookie': await get(`${server.url}/?token=from-yesterday`, { cookie: cookie.split(';')[0]! }),
      'another host name (DNS rebinding)': await get(`${server.url}/?token=${TOKEN}`, { host: `evil.example:${server.port}` }),
      'a request from another origin': await get(`${server.url}/app.js`, { cookie: cookie.split(';')[0]!, origin: 'https://evil.example' }),
    };
    expect(Object.fromEntries(Object.entries(refused).map(([k, r]) => [k, r.status]))).toEqual({
      'the page without the token': 401,
      'a file without the cookie': 401,
      'a token from an earlier run': 401,
      'a token from an earlier run, even beside a good cookie': 401,
      'another host name (DNS rebinding)': 403,
      'a request from another origin': 403,
    });
    // What the browser shows instead, in the console's words.
    expect(refused['the page without the token'].body).toContain('This console link is missing its access token');
    expect(refused['a token from an earlier run'].body).toContain('The engine refused this console link’s access token');
  });

  it('refuses a connection without the token or with a wrong one', async () => {
    const wsUrl = server.url.replace('http', 'ws');
    expect((await connect(`${wsUrl}/api`)).status).toBe(401);
    // A wrong token (e.g. a link from an earlier run) is closed with 4401 before anything it sends is read.
    for (const wrong of ['wrong', `${TOKEN.slice(0, -1)}X`]) {
      const { ws } = await connect(`${wsUrl}/api?token=${wrong}`);
      const received: string[] = [];
      ws.on('message', (d) => received.push(d.toString()));
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ v: CONTRACT_VERSION, id: 1, kind: 'query', name: 'status.get', payload: {} }));
      const code = await new Promise<number>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve(-1) : ws.once('close', (c) => resolve(c))));
      expect(code).toBe(4401);
      expect(received).toEqual([]);
    }
  });

  it('refuses a page from another origin or host name even when it has the token, and a WebSocket with the cookie alone', async () => {
    const wsUrl = server.url.replace('http', 'ws');
    expect((await connect(`${wsUrl}/api?token=${TOKEN}`, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await connect(`${wsUrl}/api?token=${TOKEN}`, { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await connect(`${wsUrl}/api`, { cookie: `marketplace-console-${server.port}=${TOKEN}` })).status).toBe(401);
  });

  it('answers contract queries and commands, rejects bad payloads, and streams events', async () => {
    const { ws, status } = await connect(`${server.url.replace('http', 'ws')}/api?token=${TOKEN}`, { origin: server.url });
    expect(status).toBeUndefined();
    const reply = await ask(ws, { v: CONTRACT_VERSION, id: 1, kind: 'query', name: 'status.get', payload: {} });
    expect(reply).toMatchObject({ id: 1, ok: true, result: { state: 'stopped', flows: [{ flow: 'health' }] } });
    const bad = await ask(ws, { v: CONTRACT_VERSION, id: 2, kind: 'command', name: 'engine.runNow', payload: { flow: 'payroll' } });
    expect(bad).toMatchObject({ id: 2, ok: false, error: { code: 'bad-payload' } });
    const unknown = await ask(ws, { v: CONTRACT_VERSION, id: 3, kind: 'command', name: 'orders.deleteAll', payload: {} });
    expect(unknown).toMatchObject({ id: 3, ok: false, error: { code: 'unknown-message' } });
    const events: string[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { kind: string; name: string };
      if (m.kind === 'event') events.push(m.name);
    });
    const started = await ask(ws, { v: CONTRACT_VERSION, id: 4, kind: 'command', name: 'engine.runNow', payload: {} });
    expect(started).toMatchObject({ ok: true, result: { started: ['health'] } });
    await engine.idle();
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toContain('run.finished');
    expect(events).toContain('status.changed');
    ws.close();
  });

  it('serves no file outside the console folder', async () => {
    const res = await fetch(`${server.url}/..%2f..%2fetc%2fpasswd?token=${TOKEN}`);
    expect(res.status).toBe(404);
  });
});

/** A GET with the headers given (Host and Origin included, which fetch would not let a test set). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

/** Resolves with the close code once the socket closes. */
const closed = (ws: WebSocket) =>
  new Promise<number>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve(-1) : ws.once('close', (code) => resolve(code))));

describe('headless host: limits on each console connection', () => {
  const tmp = tempDir();
  let engine: Engine;
  let server: ConsoleServer;
  const logger = memoryLogger();
  const limits = { maxMessageBytes: 4 * 1024, burstMessages: 20, messagesPerSecond: 5, maxConnections: 3 };
  const wsUrl = () => `${server.url.replace('http', 'ws')}/api?token=${TOKEN}`;
  beforeAll(async () => {
    const ports = testPorts();
    engine = createEngine(ports, { ledgerFile: tmp.file('limits.db'), buildFlows: () => [healthFlow(() => [])] });
    server = await startConsoleServer({ engine, logger, staticDir: tmp.dir, token: TOKEN, limits });
  });
  afterAll(async () => {
    await server.close();
    await engine.stop();
    tmp.cleanup();
  });

  it('closes a connection that sends a message over the size limit with 1009, answering nothing of it', async () => {
    const { ws } = await connect(wsUrl());
    const replies: string[] = [];
    ws.on('message', (d) => replies.push(d.toString()));
    ws.send(JSON.stringify({ v: CONTRACT_VERSION, id: 1, kind: 'query', name: 'status.get', payload: { padding: 'x'.repeat(limits.maxMessageBytes) } }));
    expect(await closed(ws)).toBe(CLOSE_CODES.messageTooBig);
    expect(replies).toEqual([]);
  });

  it('closes a connection that sends faster than the rate allows with 4429, after answering its burst', async () => {
    const { ws } = await connect(wsUrl());
    let replies = 0;
    ws.on('message', () => replies++);
    const started = performance.now();
    for (let id = 1; id <= 100; id++) ws.send(JSON.stringify({ v: CONTRACT_VERSION, id, kind: 'query', name: 'status.get', payload: {} }));
    expect(await closed(ws)).toBe(CLOSE_CODES.tooManyMessages);
    // Nothing past the burst and what the rate refilled meanwhile is answered (answers still in flight at the close are dropped).
    const refilled = Math.ceil(((performance.now() - started) / 1000) * limits.messagesPerSecond);
    expect(replies).toBeLessThanOrEqual(limits.burstMessages + refilled);
    expect(logger.lines.map((l) => l.message)).toContain('Console connection closed: too many messages');
  });

  it('an ordinary console keeps its connection: a screen’s burst, then a steady pace under the rate', async () => {
    const { ws } = await connect(wsUrl());
    const answers: Record<string, unknown>[] = [];
    for (let id = 1; id <= limits.burstMessages; id++) answers.push(await ask(ws, { v: CONTRACT_VERSION, id, kind: 'query', name: 'status.get', payload: {} }));
    await new Promise((r) => setTimeout(r, 1_000));
    for (let id = 100; id < 104; id++) answers.push(await ask(ws, { v: CONTRACT_VERSION, id, kind: 'query', name: 'status.get', payload: {} }));
    expect(answers.every((a) => a.ok === true)).toBe(true);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
    await closed(ws);
  });

  it('closes connections past the limit with 1013 (try again later); the ones already open go on', async () => {
    const open = await Promise.all(Array.from({ length: limits.maxConnections }, () => connect(wsUrl())));
    expect(open.map((o) => o.ws.readyState)).toEqual(open.map(() => WebSocket.OPEN));
    const extra = await connect(wsUrl());
    expect(await closed(extra.ws)).toBe(CLOSE_CODES.tooManyConnections);
    expect(await ask(open[0]!.ws, { v: CONTRACT_VERSION, id: 1, kind: 'query', name: 'status.get', payload: {} })).toMatchObject({ ok: true });
    for (const { ws } of open) ws.close();
    await Promise.all(open.map(({ ws }) => closed(ws)));
  });

  it('the budget refills at the rate: a burst, then one message per 1/rate seconds', () => {
    let now = 0;
    const budget = messageBudget({ burstMessages: 3, messagesPerSecond: 2 }, () => now);
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
    now += 500;
    expect([budget.take(), budget.take()]).toEqual([true, false]);
    expect(CONSOLE_LIMITS).toMatchObject({ maxMessageBytes: 256 * 1024, burstMessages: 200, messagesPerSecond: 50, maxConnections: 32 });
  });
});

describe('headless host: a configured address', () => {
  it('listens there only when configured, and says so in the log and on stderr', async () => {
    const tmp = tempDir();
    const ports = testPorts();
    const engine = createEngine(ports, { ledgerFile: tmp.file('address.db'), buildFlows: () => [healthFlow(() => [])] });
    const stderr: string[] = [];
    // Another loopback address stands in for a LAN address here: tests never listen beyond this computer.
    const server = await startConsoleServer({
      engine,
      logger: ports.logger,
      staticDir: tmp.dir,
      token: TOKEN,
      address: '127.0.0.2',
      warn: (l) => stderr.push(l),
    });
    try {
      expect(server.consoleUrl).toBe(`http://127.0.0.2:${server.port}/?token=${TOKEN}`);
      expect(stderr).toEqual([`NOTE: the console listens on 127.0.0.2:${server.port} (console.address): this computer only.`]);
      expect(ports.logger.lines.find((l) => l.message === 'Console listens on a configured address')?.fields).toMatchObject({ address: '127.0.0.2' });
      const { ws, status } = await connect(`ws://127.0.0.2:${server.port}/api?token=${TOKEN}`, { origin: `http://127.0.0.2:${server.port}` });
      expect(status).toBeUndefined();
      ws.close();
      // Not on the default address.
      expect(
        await new Promise((r) =>
          net
            .connect(server.port, '127.0.0.1')
            .once('connect', () => r('connected'))
            .once('error', () => r('refused')),
        ),
      ).toBe('refused');
    } finally {
      await server.close();
      await engine.stop();
      tmp.cleanup();
    }
    // A LAN address (not bound here) is a warning that says who can reach it and that the link is not encrypted.
    expect(addressWarning('192.168.1.20', 8400)).toMatch(/^WARNING: the console listens on 192\.168\.1\.20:8400 .*anyone on that network.*unencrypted/);
    expect(addressWarning('127.0.0.1', 8400)).toBeNull();
  });
});
