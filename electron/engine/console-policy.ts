import path from 'node:path';

/**
 * What the built console is served with, whoever serves it: the headless host over HTTP and the desktop app over
 * app://. One table and one policy, so the two can never drift apart.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export const consoleContentType = (file: string): string => CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';

/**
 * The console's Content-Security-Policy, sent as a header (a <meta> cannot carry frame-ancestors): its own files,
 * and nothing to connect to but itself and the sockets given (the headless host's WebSocket; none in the desktop app,
 * whose renderer has no network at all).
 */
export function consoleCsp(sockets: readonly string[] = []): string {
  const connect = ["'self'", ...sockets].join(' ');
  return `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${connect}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}
