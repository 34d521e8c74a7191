import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeClock } from '../../../electron/engine/clock';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import { CallGovernor, createJohnLewisMarketplace } from '../../../electron/engine/connectors/john-lewis';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../../emulators/john-lewis';
import { buildStockCsv } from '../../../electron/engine/connectors/john-lewis/stock-file';
import { collect, drive } from './support';

/**
 * A small reverse proxy on loopback, as a load balancer would sit in front of the marketplace: it forwards every
 * request to the emulator either keeping the client's Host (`preserve-host`) or setting the upstream's own Host
 * with X-Forwarded-Host/Proto (`forwarded`).
 */
async function startProxy(upstream: string, mode: 'preserve-host' | 'forwarded'): Promise<{ url: string; seen: string[]; stop(): Promise<void> }> {
  const target = new URL(upstream);
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const headers = { ...req.headers };
    if (mode === 'forwarded') {
      headers['x-forwarded-host'] = req.headers.host;
      headers['x-forwarded-proto'] = 'http';
      headers.host = target.host;
    }
    const forward = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    // "localhost", not the emulator's own 127.0.0.1:<port>: another host as far as the connector can tell.
    url: `http://localhost:${port}`,
    seen,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('the marketplace emulator behind a proxy', () => {
  const clock = fakeClock();
  let emulator: MarketplaceEmulator;
  beforeAll(async () => {
    emulator = await startMarketplaceEmulator({ now: () => clock.now() });
    emulator.admin.seedOffers([
      { sku: 'SOFA-1', quantity: 5 },
      { sku: 'LAMP-2', quantity: 0 },
    ]);
  });
  afterAll(async () => {
    await emulator.stop();
  });

  for (const mode of ['preserve-host', 'forwarded'] as const) {
    it(`builds offer export and stock import URLs from the address the client used (${mode})`, async () => {
      const proxy = await startProxy(emulator.url, mode);
      try {
        const marketplace = createJohnLewisMarketplace({
          http: createHttpClientFactory(),
          clock,
          secrets: { get: async () => emulator.apiKey },
          connection: { baseUrl: proxy.url, shopId: null, timeoutSeconds: 5 },
          isDryRun: () => false,
          random: () => 0.5,
          governor: new CallGovernor(clock, {}),
        });
        // OF52 → OF53 → OF54: the file URL names the proxy, so the connector sends its key there and reads it.
        const offers = await drive(clock, collect(marketplace.stock.exportOffers()));
        expect(offers.map((o) => o.sku).sort()).toEqual(['LAMP-2', 'SOFA-1']);
        expect(proxy.seen.some((r) => r.startsWith('GET /api/offers/export/async/file/'))).toBe(true);

        // STO01's Location names the proxy too, and the import completes through it.
        const sent = await marketplace.client.call({
          operation: 'STO01',
          method: 'POST',
          path: '/api/offers/stock/imports',
          idempotent: false,
          data: stockFile('SOFA-1', 4),
        });
        expect(sent.status).toBe(201);
        expect(new URL(sent.headers.location!).origin).toBe(proxy.url);
        const importId = String((sent.body as { import_id: unknown }).import_id);
        const outcome = await drive(clock, marketplace.stock.awaitImport(importId));
        expect(outcome.status).toMatchObject({ state: 'complete', statusCode: 'COMPLETE' });
      } finally {
        await proxy.stop();
      }
    });
  }

  it('keeps using its listening address for a client that sends no usable Host', async () => {
    const { requestBaseUrl } = await import('../../../emulators/john-lewis/server');
    expect(requestBaseUrl({ headers: { host: 'evil.example/../x' } } as never, emulator.url)).toBe(emulator.url);
    expect(requestBaseUrl({ headers: {} } as never, emulator.url)).toBe(emulator.url);
    expect(
      requestBaseUrl(
        { headers: { host: '127.0.0.1:9', 'x-forwarded-host': 'mkp.example.co.uk, 10.0.0.1', 'x-forwarded-proto': 'https' } } as never,
        emulator.url,
      ),
    ).toBe('https://mkp.example.co.uk');
  });
});

/** One STO01 file as multipart/form-data, the way the connector sends it. */
function stockFile(sku: string, quantity: number): FormData {
  const form = new FormData();
  form.append('file', new Blob([buildStockCsv([{ sku, quantity }])], { type: 'text/csv' }), 'stock.csv');
  return form;
}
