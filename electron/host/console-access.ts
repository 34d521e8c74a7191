import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { networkInterfaces } from 'node:os';

/**
 * Who may use the headless host's console, decided before anything is served: the Host the browser asked for, the
 * page's Origin, and the run's token (in the link, or the cookie the console page got with it). Pure, so each rule is
 * tested on its own; console-server.ts applies them.
 */

/** The limits on one console connection, and the close code that says which was passed (decision 0011). */
export const CONSOLE_LIMITS = {
  /** The largest message a console may send; the contract's largest request is a few kilobytes. Close 1009. */
  maxMessageBytes: 256 * 1024,
  /** Messages a connection may send in a burst (a screen opening asks for its queries at once). */
  burstMessages: 200,
  /** Messages a second a connection may send on average, after the burst. Close 4429. */
  messagesPerSecond: 50,
  /** Consoles connected at once; one more is closed with 1013 (try again later). */
  maxConnections: 32,
} as const;
export type ConsoleLimits = { -readonly [K in keyof typeof CONSOLE_LIMITS]: number };

/** WebSocket close codes the host ends a connection with (the console reconnects after all but 4401). */
export const CLOSE_CODES = {
  /** The link's token is not this run's: the console says to open the link the engine printed, and does not retry. */
  tokenRefused: 4401,
  /** RFC 6455 "message too big": a message over maxMessageBytes. */
  messageTooBig: 1009,
  /** Over the message rate (the application-range twin of HTTP 429). */
  tooManyMessages: 4429,
  /** RFC 6455 "try again later": too many consoles connected. */
  tooManyConnections: 1013,
} as const;

export const LOOPBACK_ADDRESS = '127.0.0.1';

/** True for an address only this computer can reach. */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/** The address as it appears in a URL's host (IPv6 in brackets). */
export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * The host names a browser may ask this console for (the Host header, without the port): loopback names always; the
 * configured address; on a wildcard address (every interface), each interface's address; and the names IT gave.
 * Anything else — a DNS-rebinding page whose name now points here — is refused.
 */
export function allowedHostNames(address: string, extraNames: readonly string[] = []): string[] {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  const wildcard = address === '0.0.0.0' || address === '::';
  if (!wildcard) names.add(urlHost(address));
  else for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(urlHost(i.address));
  for (const n of extraNames) names.add(n.toLowerCase());
  return [...names];
}

/**
 * What the host says when it listens on an address IT configured: nothing for the default; a note for another loopback
 * address; a warning for one other computers can reach, since anyone there with the link drives the console over plain HTTP.
 */
export function addressWarning(address: string, port: number): string | null {
  if (address === LOOPBACK_ADDRESS) return null;
  if (isLoopback(address)) return `NOTE: the console listens on ${urlHost(address)}:${port} (console.address): this computer only.`;
  return `WARNING: the console listens on ${urlHost(address)}:${port} (console.address), not on this computer only: anyone on that network who has its link can drive the console, and the link travels unencrypted (plain HTTP). Set console.address back to 127.0.0.1 unless this is meant.`;
}

export interface AccessRules {
  port: number;
  hostNames: readonly string[];
  token: string;
}

/** The origins a console page of this host has (scheme, name and port). */
export function allowedOrigins(rules: Pick<AccessRules, 'port' | 'hostNames'>): Set<string> {
  return new Set(rules.hostNames.map((h) => `http://${h}:${rules.port}`));
}

/** The cookie that lets the console page's own files load after the link carried the token; one per port (cookies ignore ports). */
export function tokenCookieName(port: number): string {
  return `marketplace-console-${port}`;
}

export type AccessDecision =
  { ok: true; via: 'link' | 'cookie' } | { ok: false; status: 400 | 401 | 403; reason: 'bad host' | 'foreign origin' | 'no token' | 'wrong token' };

/** Whether an HTTP request (or a WebSocket upgrade) may go on, and if not, with which status. */
export function decideAccess(req: Pick<http.IncomingMessage, 'headers'>, url: URL, rules: AccessRules, options: { cookie: boolean }): AccessDecision {
  const host = req.headers.host?.toLowerCase();
  if (!host || !rules.hostNames.some((name) => host === `${name}:${rules.port}`)) return { ok: false, status: 403, reason: 'bad host' };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(rules).has(origin)) return { ok: false, status: 403, reason: 'foreign origin' };
  const given = url.searchParams.get('token');
  if (given !== null) return tokenMatches(given, rules.token) ? { ok: true, via: 'link' } : { ok: false, status: 401, reason: 'wrong token' };
  if (options.cookie && tokenMatches(readCookie(req.headers.cookie, tokenCookieName(rules.port)), rules.token)) return { ok: true, via: 'cookie' };
  return { ok: false, status: 401, reason: 'no token' };
}

export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

/**
 * A token bucket per connection: `burst` messages at once, refilled at `perSecond`. `take` says whether one more
 * message is within the limit.
 */
export function messageBudget(limits: Pick<ConsoleLimits, 'burstMessages' | 'messagesPerSecond'>, now: () => number = () => performance.now()) {
  let tokens = limits.burstMessages;
  let last = now();
  return {
    take(): boolean {
      const t = now();
      tokens = Math.min(limits.burstMessages, tokens + ((t - last) / 1000) * limits.messagesPerSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
