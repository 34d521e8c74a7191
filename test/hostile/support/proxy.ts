import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What stands between the console and SAP or the marketplace on a customer's network: an HTTP proxy that passes every
 * request on, except those a rule catches, which it answers as a faulty proxy, gateway or server would.
 */
export type ProxyAnswer =
  /** Answers this itself; SAP never sees the request. */
  | { kind: 'answer'; status: number; body: string; contentType?: string }
  /** Passes the request to SAP (which does it), then answers this instead of SAP's answer. */
  | { kind: 'answer-after-sap'; status: number; body: string; contentType?: string }
  /** Passes the request to SAP, then sends the start of SAP's answer and cuts the connection. */
  | { kind: 'cut-connection' }
  /** Passes the request to SAP, then sends half of SAP's answer as a complete HTTP message (JSON cut short). */
  | { kind: 'cut-body' };

export interface ProxyRule {
  method: string;
  /** Matched against the request's path (below /b1s/vN/ for SAP), query decoded. */
  path: RegExp;
  /** The request (its path or its body) must mention this text, e.g. a marketplace order id or an ItemCode. */
  mentions?: string;
  /** How many matching requests it catches. */
  times: number;
  answer: ProxyAnswer;
  /** A rule that starts catching once this one has caught its last request (what follows it, e.g. the login it causes). */
  then?: ProxyRule;
}

export interface Proxy {
  url: string;
  add(rule: ProxyRule): void;
  /** Requests seen that mention this text, by method and entity ("POST Orders": 2). */
  seen(mention: string): Record<string, number>;
  stop(): Promise<void>;
}

export async function startProxy(upstream: string): Promise<Proxy> {
  const rules: ProxyRule[] = [];
  const log: { line: string; text: string }[] = [];
  const target = new URL(upstream);
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = safeDecode((req.url ?? '/').replace(/^\/b1s\/v\d\//, ''));
      const text = `${path}\n${body.toString('utf8')}`;
      log.push({ line: `${req.method} ${path.split(/[(?]/)[0]}`, text });
      const rule = rules.find((r) => r.times > 0 && r.method === req.method && r.path.test(path) && (!r.mentions || text.includes(r.mentions)));
      if (rule) rule.times--;
      if (rule?.times === 0 && rule.then) rules.unshift({ ...rule.then });
      const answer = rule?.answer;
      if (answer?.kind === 'answer') return reply(res, answer);
      const forward = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (up) => {
          const upChunks: Buffer[] = [];
          up.on('data', (c: Buffer) => upChunks.push(c));
          up.on('end', () => {
            const sapBody = Buffer.concat(upChunks);
            const headers = { ...up.headers };
            delete headers['content-length'];
            delete headers['transfer-encoding'];
            if (!answer) {
              res.writeHead(up.statusCode ?? 502, { ...headers, 'content-length': String(sapBody.length) });
              return res.end(sapBody);
            }
            if (answer.kind === 'answer-after-sap') return reply(res, answer);
            const half = sapBody.subarray(0, Math.floor(sapBody.length / 2));
            if (answer.kind === 'cut-body') {
              res.writeHead(up.statusCode ?? 200, { ...headers, 'content-length': String(half.length) });
              return res.end(half);
            }
            // The whole answer is announced, half of it arrives, and the connection goes.
            res.writeHead(up.statusCode ?? 200, { ...headers, 'content-length': String(sapBody.length) });
            res.write(half, () => res.socket?.destroy());
          });
        },
      );
      forward.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('proxy: SAP did not answer');
      });
      forward.end(body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    add: (rule) => void rules.push({ ...rule }),
    seen(mention) {
      const out: Record<string, number> = {};
      for (const l of log) if (l.text.includes(mention)) out[l.line] = (out[l.line] ?? 0) + 1;
      return out;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: http.ServerResponse, answer: { status: number; body: string; contentType?: string }) {
  const body = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, {
    'content-type': answer.contentType ?? 'application/json;odata.metadata=minimal;charset=utf-8',
    'content-length': String(body.length),
  });
  res.end(body);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
