import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { X509Certificate } from 'node:crypto';

export interface RecordedRequest {
  method: string;
  url: string;
  body: string;
}

/** A loopback server that records what reaches it and answers 200 with a small JSON body. */
export async function recordingServer(options: { tls?: { key: string; cert: string } } = {}) {
  const received: RecordedRequest[] = [];
  const handler: http.RequestListener = (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true }));
    });
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    received,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A self-signed certificate like the one SAP's Service Layer installs by default. */
export async function selfSignedCertificate(commonName = 'hanab1') {
  const pems = await generate([{ name: 'commonName', value: commonName }], { keyType: 'ec' });
  return { key: pems.private, cert: pems.cert, sha256: new X509Certificate(pems.cert).fingerprint256 };
}
