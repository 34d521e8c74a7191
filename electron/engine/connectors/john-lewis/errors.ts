import type { MarketplaceFailure } from '../ports/marketplace';

/**
 * A failed marketplace call: which operation, the HTTP status and the marketplace's own message, verbatim
 * (truncated). Built by hand from the response so that no request header — the API key — can ride along.
 */
export class MarketplaceError extends Error implements MarketplaceFailure {
  readonly system = 'marketplace' as const;
  constructor(
    readonly operation: string,
    readonly status: number | null,
    message: string,
    /** The marketplace's body, as text, for the exception's raw error. */
    readonly rawBody: string | null,
    /** Transient (network, timeout, 5xx, 429): worth another attempt later. */
    readonly transient: boolean,
    /** For 429: how long the marketplace asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'MarketplaceError';
  }
  get unreachable(): boolean {
    const s = this.status;
    // Not 403: a shop may be forbidden one resource (one order) while the connection is fine.
    return s === null ? this.transient : [401, 408, 429, 502, 503, 504].includes(s);
  }

  /** A 4xx about the request itself; not 401/403 (the API key: a connection problem) and not 408/429 (try later). */
  get refused(): boolean {
    const s = this.status;
    return !this.transient && s !== null && s >= 400 && s < 500 && s !== 401 && s !== 403 && s !== 408 && s !== 429;
  }
}

/** No API key is set: nothing can be asked of the marketplace until someone enters it (Connections). */
export class MarketplaceNotConfiguredError extends MarketplaceError {
  constructor(operation: string) {
    super(operation, null, 'No marketplace API key is set', null, false);
    this.name = 'MarketplaceNotConfiguredError';
  }
  override get unreachable(): boolean {
    return true;
  }
}

export const isMarketplaceError = (e: unknown): e is MarketplaceError => e instanceof MarketplaceError;

/** Thrown before a call when the request itself is wrong by the platform's rules (e.g. a line without a decision). */
export class MarketplaceRequestError extends Error {
  constructor(
    readonly operation: string,
    message: string,
  ) {
    super(message);
    this.name = 'MarketplaceRequestError';
  }
}

/** What each governed operation is, in the words the console shows. Keys without a label are shown by their code. */
const OPERATION_NAMES: Readonly<Record<string, string>> = {
  A01: 'shop profile',
  SH21: 'carrier list',
  OR11: 'order list',
  RT11: 'returns list',
  STO01: 'stock import',
  STO02: 'stock import status',
  STO03: 'stock import error report',
  OF52: 'offer export',
  'OF52-full': 'full offer export',
  OF53: 'offer export status',
  TL02: 'transaction lines',
};

export function operationName(key: string): string {
  const code = key.replace(/-.*/, '');
  const name =
    (Object.hasOwn(OPERATION_NAMES, key) ? OPERATION_NAMES[key] : undefined) ?? (Object.hasOwn(OPERATION_NAMES, code) ? OPERATION_NAMES[code] : undefined);
  return name ? `${name} (${code})` : key;
}

/** "at 09:14", "at 09:14 tomorrow", "on Sat 28 Nov at 09:14", in the engine's local time. */
export function whenText(at: number, now: number): string {
  const d = new Date(at);
  const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const day = (t: number) => {
    const x = new Date(t);
    return Date.UTC(x.getFullYear(), x.getMonth(), x.getDate()) / 86_400_000;
  };
  const days = day(at) - day(now);
  if (days <= 0) return `at ${time}`;
  if (days === 1) return `at ${time} tomorrow`;
  return `on ${d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })} at ${time}`;
}

/**
 * A call the marketplace will not take before `notBefore`, further off than a run may wait: the step ends here
 * with this message and the flow tries again at a later run. Transient (technical, nothing was refused) but never
 * retried inside the run. `status` is 429 when the marketplace said so (Retry-After), null when the call-frequency
 * governor knew it without asking.
 */
export class CallDeferredError extends MarketplaceError {
  constructor(
    operation: string,
    readonly governorKey: string,
    readonly notBefore: number,
    now: number,
    status: 429 | null,
    why: string,
  ) {
    super(operation, status, `${operationName(governorKey)} next allowed ${whenText(notBefore, now)} (${why})`, null, true, notBefore - now);
    this.name = 'CallDeferredError';
  }
}

export const isCallDeferred = (e: unknown): e is CallDeferredError => e instanceof CallDeferredError;
