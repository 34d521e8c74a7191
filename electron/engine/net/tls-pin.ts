import https from 'node:https';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';

/** A certificate the operator agreed to trust: SAP's default self-signed one, pinned by its SHA-256 fingerprint. */
export interface PinnedCertificate {
  /** AA:BB:… upper-case, as Node reports cert.fingerprint256. */
  sha256: string;
  pem: string;
}

export interface PresentedCertificate extends PinnedCertificate {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
}

/** Normalises a fingerprint to the AA:BB:… upper-case form. */
export function normaliseFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (hex.length !== 64) throw new Error(`A SHA-256 fingerprint has 64 hex digits; got ${hex.length}`);
  return hex.match(/../g)!.join(':');
}

/**
 * An agent that trusts exactly the pinned certificate. Node still verifies the chain (the pinned PEM is the
 * only CA) and then we compare fingerprints. The host-name check is replaced by the pin: SAP's self-signed
 * certificate usually names the server's own host, not the name the office LAN uses, and the operator
 * trusted this exact certificate for this connection.
 */
export function pinnedAgent(pinned: PinnedCertificate): https.Agent {
  const pin = normaliseFingerprint(pinned.sha256);
  const actual = new X509Certificate(pinned.pem).fingerprint256;
  if (actual !== pin) throw new Error(`The stored certificate does not match its pin (${actual} ≠ ${pin}); trust the certificate again`);
  return new https.Agent({
    keepAlive: true,
    ca: [pinned.pem],
    checkServerIdentity(host, cert) {
      if (cert.fingerprint256 !== pin) {
        return new Error(`Certificate pin mismatch for ${host}: trusted ${pin}, server presented ${cert.fingerprint256}`);
      }
      return undefined;
    },
  });
}

/**
 * Reads the certificate a server presents so the console can show its fingerprint and ask the operator
 * whether to trust it. Verification stays on: the handshake against an untrusted certificate fails as it
 * should, and we only look at the certificate it carried before Node closes the connection.
 */
export function fetchPresentedCertificate(host: string, port: number, timeoutMs = 10_000): Promise<PresentedCertificate> {
  return new Promise((resolve, reject) => {
    let captured: PresentedCertificate | undefined;
    const socket = tls.connect({ host, port, servername: isIp(host) ? undefined : host });
    const timer = setTimeout(() => finish(new Error(`No TLS handshake from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    // Runs before Node's own verification listener, while the peer certificate is still readable.
    socket.prependListener('secure', () => {
      const raw = socket.getPeerCertificate(true);
      if (raw?.raw) {
        const x509 = new X509Certificate(raw.raw);
        captured = {
          sha256: x509.fingerprint256,
          pem: x509.toString(),
          subject: x509.subject,
          issuer: x509.issuer,
          validFrom: x509.validFrom,
          validTo: x509.validTo,
          selfSigned: x509.subject === x509.issuer,
        };
      }
    });
    socket.once('secureConnect', () => finish());
    socket.once('error', (err) => finish(captured ? undefined : err));
    socket.once('close', () => finish());
    function finish(err?: Error) {
      clearTimeout(timer);
      socket.destroy();
      if (captured) resolve(captured);
      else reject(err ?? new Error(`${host}:${port} presented no certificate`));
    }
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
