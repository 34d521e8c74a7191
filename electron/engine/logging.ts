import path from 'node:path';
import pino from 'pino';
import { PRIVATE_FILE_MODE, ensureDirCreatedPrivate, ensurePrivateFile } from './private-files';
import type { LogFields, Logger } from './ports';

/** Keys whose values never reach a log line, wherever they sit in the fields. */
export const REDACTED_KEYS = [
  'password',
  'Password',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'B1SESSION',
  'token',
  'secret',
];

const redactPaths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/** Structured JSON logs (pino) to a file (readable by this user only) or stdout, secrets redacted by key. */
export function createLogger(options: { level?: string; destination?: string | NodeJS.WritableStream } = {}): Logger {
  const dest = typeof options.destination === 'string' ? privateLogFile(options.destination) : (options.destination ?? pino.destination(1));
  const base = pino({ level: options.level ?? 'info', redact: { paths: redactPaths, censor: '[redacted]' }, base: undefined }, dest as pino.DestinationStream);
  return wrap(base);
}

/** The log says which orders, customers and SAP documents the engine handled: 0600, in a folder created 0700. */
function privateLogFile(file: string): pino.DestinationStream {
  ensureDirCreatedPrivate(path.dirname(path.resolve(file)));
  ensurePrivateFile(file);
  return pino.destination({ dest: file, sync: false, mode: PRIVATE_FILE_MODE });
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (m, f) => p.debug(f ?? {}, m),
    info: (m, f) => p.info(f ?? {}, m),
    warn: (m, f) => p.warn(f ?? {}, m),
    error: (m, f) => p.error(f ?? {}, m),
    child: (fields: LogFields) => wrap(p.child(fields)),
  };
}

/** A logger that keeps lines in memory, for tests that assert what was (and was not) logged. */
export function memoryLogger(): Logger & { lines: Array<{ level: string; message: string; fields: LogFields }> } {
  const lines: Array<{ level: string; message: string; fields: LogFields }> = [];
  const make = (ctx: LogFields): Logger => ({
    debug: (message, f) => lines.push({ level: 'debug', message, fields: { ...ctx, ...f } }),
    info: (message, f) => lines.push({ level: 'info', message, fields: { ...ctx, ...f } }),
    warn: (message, f) => lines.push({ level: 'warn', message, fields: { ...ctx, ...f } }),
    error: (message, f) => lines.push({ level: 'error', message, fields: { ...ctx, ...f } }),
    child: (fields) => make({ ...ctx, ...fields }),
  });
  return Object.assign(make({}), { lines });
}
