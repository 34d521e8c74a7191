import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
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
    server = await startConsoleServer({ engine, logger: ports.logger, staticDir: tmp.dir, token: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    await engine.stop();
    tmp.cleanup();
  });

  it('listens on loopback only and prints a console URL carrying the token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.consoleUrl).toBe(`${server.url}/?token=${TOKEN}`);
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

  it('refuses a page from another origin even when it has the token', async () => {
    const wsUrl = server.url.replace('http', 'ws');
    expect((await connect(`${wsUrl}/api?token=${TOKEN}`, { origin: 'https://evil.example' })).status).toBe(403);
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
    const res = await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`);
    expect(res.status).toBe(404);
  });
});
