import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClientFactory } from '../../electron/engine/net/http-client';
import { DryRunBlockedError } from '../../electron/engine/net/errors';
import { fetchPresentedCertificate } from '../../electron/engine/net/tls-pin';
import { recordingServer, selfSignedCertificate } from '../support/servers';

describe('HTTP client: TLS trust by pinning', () => {
  let sap: Awaited<ReturnType<typeof recordingServer>>;
  let cert: Awaited<ReturnType<typeof selfSignedCertificate>>;
  let other: Awaited<ReturnType<typeof selfSignedCertificate>>;
  beforeAll(async () => {
    [cert, other] = await Promise.all([selfSignedCertificate('hanab1'), selfSignedCertificate('impostor')]);
    sap = await recordingServer({ tls: cert });
  });
  afterAll(() => sap.stop());

  it('refuses a self-signed server nobody has trusted', async () => {
    const client = createHttpClientFactory().create({ system: 'sap-b1', baseURL: sap.url, timeoutMs: 5000, isDryRun: () => false });
    await expect(client.get('/b1s/v2/')).rejects.toThrow(/self[- ]signed/i);
  });

  it('reads the certificate the server presents, for the operator to compare and trust', async () => {
    const presented = await fetchPresentedCertificate('127.0.0.1', sap.port);
    expect(presented.sha256).toBe(cert.sha256);
    expect(presented.selfSigned).toBe(true);
    expect(presented.subject).toContain('hanab1');
  });

  it('accepts the pinned certificate and refuses a different one', async () => {
    const factory = createHttpClientFactory();
    const pinned = factory.create({
      system: 'sap-b1',
      baseURL: sap.url,
      timeoutMs: 5000,
      isDryRun: () => false,
      pinnedCertificate: { sha256: cert.sha256, pem: cert.cert },
    });
    expect((await pinned.get('/b1s/v2/')).status).toBe(200);
    const wrong = factory.create({
      system: 'sap-b1',
      baseURL: sap.url,
      timeoutMs: 5000,
      isDryRun: () => false,
      pinnedCertificate: { sha256: other.sha256, pem: other.cert },
    });
    await expect(wrong.get('/b1s/v2/')).rejects.toThrow();
  });
});

describe('HTTP client: dry run', () => {
  let server: Awaited<ReturnType<typeof recordingServer>>;
  beforeAll(async () => (server = await recordingServer()));
  afterAll(() => server.stop());

  it('lets reads and marked read-only posts through but refuses every write, saying what it would have sent', async () => {
    let dryRun = true;
    const client = createHttpClientFactory().create({ system: 'marketplace', baseURL: server.url, timeoutMs: 5000, isDryRun: () => dryRun });
    await client.get('/api/orders');
    await client.post('/b1s/v2/Login', { CompanyDB: 'SBODEMOGB' }, { readOnly: true });
    const blocked = await client.post('/api/orders/000000086-A/ship', {}).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(DryRunBlockedError);
    expect((blocked as DryRunBlockedError).message).toContain('POST');
    await expect(client.put('/api/orders/1/tracking', { carrier_code: 'RM' })).rejects.toBeInstanceOf(DryRunBlockedError);
    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/orders', 'POST /b1s/v2/Login']);
    dryRun = false;
    await client.post('/api/orders/000000086-A/ship', {});
    expect(server.received).toHaveLength(3);
  });
});
