import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SapTlsError } from '../../../electron/engine/connectors/sap-b1';
import { startRig, type Rig } from './harness';

const PASSWORD = 'PinTestPassword-5f0c1a';

/**
 * A server in SAP's place that records every byte a client sends it once TLS is up (the login's request line, headers
 * and body would be the first), and answers nothing: what the connector sends before it trusts the server is all there
 * is to see.
 */
async function recordingTlsServer(pems: { cert: string; private: string }) {
  const received: Buffer[] = [];
  let connections = 0;
  const server = tls.createServer({ cert: pems.cert, key: pems.private }, (socket) => {
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', () => undefined);
  });
  server.on('connection', () => connections++);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => Buffer.concat(received).toString('latin1'),
    connections: () => connections,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const selfSigned = (name: string) =>
  generate([{ name: 'commonName', value: name }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
const pinOf = (cert: string) => ({ sha256: new X509Certificate(cert).fingerprint256, pem: cert });

describe('TLS to SAP: a certificate that is not the pinned one gets no password', () => {
  let rig: Rig;
  let impostor: Awaited<ReturnType<typeof recordingTlsServer>>;
  let impostorCert: Awaited<ReturnType<typeof selfSigned>>;
  beforeAll(async () => {
    rig = await startRig({ https: true, seed: { items: 5, warehouses: 1 } });
    impostorCert = await selfSigned('sap-b1.office.lan');
    impostor = await recordingTlsServer(impostorCert);
  });
  afterAll(async () => {
    await impostor.stop();
    await rig.emulator.stop();
  });

  it('a server presenting another certificate is reached, and receives not one byte past the handshake: no Login, no password', async () => {
    // The operator pinned SAP's real certificate; something else answers at SAP's address.
    const sap = rig.connect({ baseUrl: impostor.url, pinnedCertificate: rig.emulator.certificate!, password: PASSWORD });
    await expect(sap.login()).rejects.toBeInstanceOf(SapTlsError);
    await expect(sap.login()).rejects.toThrow(/pin mismatch|certificate/i);
    expect(impostor.connections()).toBe(2);
    expect(impostor.received()).toBe('');
  });

  it('a certificate the pinned one signed (the chain checks out, the fingerprint does not) gets not one byte either', async () => {
    // The check of the fingerprint, not only of the chain, comes before the request: pinned here is a CA, and the
    // server presents a certificate that CA issued.
    const ca = await generate([{ name: 'commonName', value: 'Office CA' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, digitalSignature: true, critical: true },
      ],
    });
    const issued = await generate([{ name: 'commonName', value: 'sap-b1.office.lan' }], {
      keySize: 2048,
      algorithm: 'sha256',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const server = await recordingTlsServer(issued);
    try {
      const sap = rig.connect({ baseUrl: server.url, pinnedCertificate: pinOf(ca.cert), password: PASSWORD });
      await expect(sap.login()).rejects.toThrow(/Certificate pin mismatch/);
      expect(server.connections()).toBe(1);
      expect(server.received()).toBe('');
    } finally {
      await server.stop();
    }
  });

  it('the same server, when its certificate is the pinned one, receives the login with the password (the recording works)', async () => {
    const sap = rig.connect({ baseUrl: impostor.url, pinnedCertificate: pinOf(impostorCert.cert), password: PASSWORD, timeoutSeconds: 1 });
    await expect(sap.login()).rejects.toThrow();
    expect(impostor.received()).toMatch(/^POST \/b1s\/v2\/Login HTTP\/1\.1\r\n/);
    expect(impostor.received()).toContain(`"Password":"${PASSWORD}"`);
  });

  it('the SAP emulator behind a wrong pin sees no Login call and issues no session', async () => {
    const other = await selfSigned('someone-else');
    rig.emulator.clearCalls();
    const sap = rig.connect({ pinnedCertificate: pinOf(other.cert), password: PASSWORD });
    await expect(sap.login()).rejects.toBeInstanceOf(SapTlsError);
    expect(rig.calls('POST', 'Login')).toBe(0);
    expect(rig.emulator.state.sessions.size).toBe(0);
  });
});
