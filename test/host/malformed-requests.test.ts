import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import WebSocket from 'ws';
import { CONTRACT_VERSION } from '../../shared/contract';
import { tempDir } from '../support/ports';

/** Sends bytes as they are (no client library tidying them up) and reads the status code of the answer, if any. */
function raw(port: number, request: string | Buffer): Promise<number | 'no answer'> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      socket.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve(status ? Number(status[1]) : 'no answer');
    };
    socket.setTimeout(3_000, done);
    socket.on('data', (d) => {
      received += d.toString('latin1');
      if (/\r\n\r\n/.test(received)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request);
  });
}

/** The Host a browser sends for the console (127.0.0.1:<port>); set once the host has started. */
let hostHeader = '127.0.0.1';
const get = (target: string, headers = '') => `GET ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\n${headers}\r\n`;
const upgrade = (target: string, headers = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n') =>
  get(target, `Upgrade: websocket\r\nConnection: Upgrade\r\n${headers}`);

describe('headless host: malformed requests', () => {
  const tmp = tempDir('malformed-');
  let host: ChildProcess;
  let port: number;
  let consoleUrl: string;
  let linkFile: string;
  let output = '';

  beforeAll(async () => {
    const config = tmp.file('engine.json');
    writeFileSync(config, JSON.stringify({ dataDir: './data' }));
    // The real host process, as `npm run engine` starts it: a crash here is the whole console gone.
    host = spawn(process.execPath, ['--import', 'tsx', 'electron/host/cli.ts', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    host.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    host.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    // Not a terminal: the host prints the address without its token and names the file that holds the link.
    const printed = /Console: http:\/\/127\.0\.0\.1:(\d+)\/ — open the link in (\S+) /;
    for (let i = 0; i < 300 && !printed.test(output) && host.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    const m = printed.exec(output);
    if (!m) throw new Error(`The host did not start:\n${output}`);
    port = Number(m[1]);
    hostHeader = `127.0.0.1:${port}`;
    linkFile = m[2]!;
    consoleUrl = readFileSync(linkFile, 'utf8').trim();
  });
  afterAll(async () => {
    if (host.exitCode === null) {
      host.kill('SIGINT');
      await new Promise((r) => host.once('exit', r));
    }
    tmp.cleanup();
  });

  it('answers a batch of malformed requests with 4xx and keeps serving the console', async () => {
    const token = new URL(consoleUrl).searchParams.get('token')!;
    const batch: [string, string | Buffer, number[]][] = [
      ['bad percent-encoding (the one that crashed it)', get('/%E0%A4%A'), [400]],
      ['percent sign without hex', get('/%ZZ/index.html'), [400]],
      ['overlong UTF-8 dot-dot', get('/%C0%AE%C0%AE/%C0%AE%C0%AE/etc/passwd'), [400]],
      ['an encoded NUL', get('/index.html%00.js'), [400]],
      ['escaping the console folder', get(`/..%2f..%2f..%2f..%2fetc%2fpasswd?token=${token}`), [404]],
      ['escaping the console folder without the token', get('/..%2f..%2f..%2f..%2fetc%2fpasswd'), [401]],
      ['an absolute-form target that is no URL', get('http://[::1'), [400]],
      ['an asterisk target', get('*'), [401]],
      ['the page without its token', get('/'), [401]],
      ['the page with its token for another host name', `GET /?token=${token} HTTP/1.1\r\nHost: evil.example:${hostHeader.split(':')[1]}\r\n\r\n`, [403]],
      ['a path of 100,000 characters', get(`/${'a'.repeat(100_000)}`), [431]],
      ['a method that does not exist', 'BREW / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', [400]],
      ['a method the console does not take', 'DELETE /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', [405]],
      ['a control character in a header', get('/', 'X-Bad: a\x01b\r\n'), [400]],
      ['an unknown HTTP version', 'GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n', [400, 505]],
      ['a negative Content-Length', 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n', [400]],
      ['both Content-Length and chunked', 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', [400]],
      ['a 100 KB header', get('/', `X-Huge: ${'b'.repeat(100_000)}\r\n`), [431]],
      ['a TLS hello on the plain port', Buffer.from('16030100a5010000a103030000000000000000000000000000000000000000000000000000000000000000', 'hex'), [400]],
      ['an upgrade without a WebSocket key', upgrade(`/api?token=${token}`, 'Sec-WebSocket-Version: 13\r\n'), [400]],
      [
        'an upgrade with an unknown WebSocket version',
        upgrade(`/api?token=${token}`, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n'),
        [400, 426],
      ],
      ['an upgrade to a target that is no URL', upgrade('http://[::1'), [400]],
      ['an upgrade with bad percent-encoding', upgrade('/api%E0%A4%A?token=x'), [404]],
      ['an upgrade without a token', upgrade('/api'), [401]],
    ];
    const answers: Record<string, number | 'no answer'> = {};
    for (const [name, request] of batch) answers[name] = await raw(port, request);
    for (const [name, , expected] of batch) expect(expected, `${name}: answered ${answers[name]}`).toContain(answers[name]);

    // Still up and still serving: the console page, a header of ordinary size, and the engine over the WebSocket.
    expect(host.exitCode).toBeNull();
    expect(await raw(port, get(`/?token=${token}`, `Cookie: ${'c'.repeat(8_000)}\r\n`))).toBe(200);
    const page = await fetch(consoleUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const ws = new WebSocket(`${consoleUrl.replace('http', 'ws').replace('/?', '/api?')}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const reply = await new Promise<Record<string, unknown>>((resolve) => {
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as Record<string, unknown>;
        if (m.kind === 'reply') resolve(m);
      });
      ws.send(JSON.stringify({ v: CONTRACT_VERSION, id: 7, kind: 'query', name: 'status.get', payload: {} }));
    });
    ws.close();
    expect(reply).toMatchObject({ id: 7, ok: true, result: { state: 'running' } });
    expect(output).not.toMatch(/URIError|Uncaught|at .*console-server/);
  });

  it('keeps the console link (its token) off stdout, which a service manager logs, in a file readable by its user only', () => {
    const token = new URL(consoleUrl).searchParams.get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(output).not.toContain(token);
    expect(statSync(linkFile).mode & 0o777).toBe(0o600);
    expect(linkFile.startsWith(tmp.file('data'))).toBe(true);
  });
});
