import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** When an armed kill fires on a write: before the write reaches the system, or after it landed but before its answer reaches the engine. */
export type WriteKillMoment = 'before-landing' | 'after-landing';

export interface KillingProxy {
  url: string;
  /** The next write (POST, PUT, PATCH, DELETE) through this proxy runs `kill` at that moment; the arming is used once. */
  arm(moment: WriteKillMoment, kill: () => Promise<void>): void;
  disarm(): void;
  /** Whether an armed kill is still waiting for a write. */
  readonly armed: boolean;
  stop(): Promise<void>;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A pass-through HTTP proxy between the engine and one emulator, so the harness can SIGKILL the engine in the middle
 * of a write to SAP or the marketplace: as the request arrives (it then still lands, as one already on the wire
 * does), or once the system has carried it out and answered, before the answer gets back. Binds 127.0.0.1.
 */
export async function startKillingProxy(target: string): Promise<KillingProxy> {
  const upstream = new URL(target);
  let armedKill: { moment: WriteKillMoment; kill: () => Promise<void> } | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fire = armedKill && WRITES.has(req.method ?? '') && !req.url?.startsWith('/__admin') ? armedKill : null;
      if (fire) armedKill = null;
      const body = Buffer.concat(chunks);
      const forward = () => {
        const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', async () => {
            if (fire?.moment === 'after-landing') {
              await fire.kill();
              res.destroy();
              return;
            }
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
          answer.on('error', () => res.destroy());
        });
        // The system dropped the connection (an injected lost answer): so does the proxy.
        up.on('error', () => res.destroy());
        up.end(body);
      };
      if (fire?.moment === 'before-landing') void fire.kill().then(forward);
      else forward();
    });
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm: (moment, kill) => void (armedKill = { moment, kill }),
    disarm: () => void (armedKill = null),
    get armed() {
      return armedKill !== null;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
