import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import type { Flow } from '../../electron/engine/flows/flow';
import { percentileOf } from '../../electron/engine/ledger/request-stats';
import { tempDir, testPorts } from '../support/ports';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A stand-in for SAP: every fourth request fails with 503. */
async function flakyServer(): Promise<string> {
  let n = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(++n % 4 === 0 ? 503 : 200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the Overview’s history', () => {
  it('counts every request a flow makes per system, with failures, latency and the flow’s runs', async () => {
    const url = await flakyServer();
    const ports = testPorts({ flows: { stock: { enabled: true, cadenceSeconds: 3600 } } as never });
    const tmp = tempDir('history-');
    let requests = 0;
    // A stock stand-in reading eight pages of items a run through the HTTP client the engine lends its flows.
    const engine = createEngine(ports, {
      ledgerFile: tmp.file('ledger.db'),
      buildFlows: (deps): Flow[] => [
        {
          name: 'stock',
          async run() {
            const client = deps.ports.http.create({ system: 'sap-b1', baseURL: url, timeoutMs: 5_000, isDryRun: () => false });
            for (let i = 0; i < 8; i++, requests++) await client.get('/b1s/v2/Items');
            return {};
          },
        },
      ],
    });
    cleanups.push(async () => {
      const stopping = engine.stop(1_000);
      await ports.clock.advance(1_000);
      await stopping;
      tmp.cleanup();
    });
    await engine.runOnce();
    await engine.runOnce();
    const history = await engine.query('health.history', { hours: 24 });
    expect(requests).toBe(16);
    const sap = history.systems.find((s) => s.system === 'sap-b1')!;
    expect(sap.total).toMatchObject({ requests: 16, failures: 4 });
    expect(sap.total.p50).toBeGreaterThan(0);
    expect(sap.windows).toHaveLength(96);
    expect(sap.windows.reduce((n, w) => n + w.requests, 0)).toBe(16);
    expect(history.flows).toEqual([
      { flow: 'stock', runs: [expect.objectContaining({ outcome: 'succeeded' }), expect.objectContaining({ outcome: 'succeeded' })] },
    ]);
    // Every published marketplace maximum is listed, unused here.
    expect(history.budget.find((b) => b.operation === 'OR11')).toMatchObject({ limit: 1, windowMs: 60_000, used: 0 });
  });

  it('reads percentiles off the latency histogram as its bucket bounds', () => {
    // 10 requests under 50 ms, 9 under 200 ms, 1 under 3 s.
    const buckets = [10, 0, 9, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0];
    expect(percentileOf(buckets, 50)).toBe(50);
    expect(percentileOf(buckets, 95)).toBe(200);
    expect(percentileOf(buckets, 100)).toBe(3_000);
    expect(percentileOf([0, 0], 50)).toBeNull();
  });
});
