import type { SapRefusal } from '../ports/sap';
/**
 * What can go wrong talking to SAP, sorted so flows can act: business failures wait for a person, transient
 * ones retry. SAP's own message is kept verbatim (`sapMessage`) because that is what the operator needs to see.
 * No error carries a password, a session cookie or a request body.
 */
export type SapErrorKind =
  | 'auth' // wrong company, user or password: never retried
  | 'session' // 401 / 301 that a fresh login did not cure
  | 'business' // -10, -1000, -5006, -2035 and other 4xx: a person must correct something
  | 'not-found' // -2028
  | 'concurrency' // -2039, -1116: another user changed the data; retried
  | 'batch-selection' // -4014: a batch/serial-managed line without a complete allocation
  | 'transient' // 5xx, timeouts, resets
  | 'tls'; // the certificate is not the trusted one

export interface SapErrorDetails {
  kind: SapErrorKind;
  /** SAP's code as a string (v1 sends numbers, v2 strings), e.g. "-4014". */
  code?: string;
  /** SAP's message, verbatim. */
  sapMessage?: string;
  status?: number;
  method?: string;
  /** The Service Layer path, e.g. `DeliveryNotes` — no query, nothing secret. */
  path?: string;
  /** For writes that failed in transit: SAP may have committed it; look it up before sending again. */
  outcomeUnknown?: boolean;
}

/**
 * What SAP refused, read from its message (SAP uses -10 for most business rules, so the code alone says little).
 * The flows act on this, never on SAP's texts.
 */
export function refusalOf(kind: SapErrorKind, message: string | undefined): SapRefusal | undefined {
  if (kind === 'batch-selection') return 'batch-serial';
  if (kind !== 'business' && kind !== 'not-found') return undefined;
  const text = (message ?? '').toLowerCase();
  if (/property 'u_/.test(text)) return 'field-missing';
  if (/currency/.test(text)) return 'currency';
  if (/invalid bp code|business partner/.test(text)) return 'customer-unknown';
  if (/invalid item code/.test(text)) return 'item-unknown';
  if (/inactive|frozen/.test(text)) return 'item-inactive';
  if (/negative inventory/.test(text)) return 'negative-stock';
  if (/batch\/serial/.test(text)) return 'batch-serial';
  if (/country|address|shipto|zip|post ?code|county|state/.test(text)) return 'address';
  if (/vat|tax/.test(text)) return 'vat';
  return 'other';
}

export class SapError extends Error {
  /** Which system failed, so flows can tell without importing this class (connectors/ports/sap.ts: isSapFailure). */
  readonly system = 'sap-b1' as const;
  readonly refusal?: SapRefusal;
  readonly kind: SapErrorKind;
  readonly code?: string;
  readonly sapMessage?: string;
  readonly status?: number;
  readonly method?: string;
  readonly path?: string;
  readonly outcomeUnknown: boolean;

  constructor(message: string, details: SapErrorDetails) {
    super(message);
    this.name = new.target.name;
    this.kind = details.kind;
    this.code = details.code;
    this.sapMessage = details.sapMessage;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.refusal = refusalOf(this.kind, this.sapMessage ?? message);
  }

  get unreachable(): boolean {
    if (this.kind === 'auth' || this.kind === 'session' || this.kind === 'tls') return true;
    return this.kind === 'transient' && (this.status === undefined || [408, 429, 502, 503, 504].includes(this.status));
  }

  /** Worth another attempt by itself: transient failures and concurrency conflicts. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'concurrency';
  }
}

export class SapAuthError extends SapError {}
export class SapSessionError extends SapError {}
export class SapBusinessError extends SapError {}
export class SapNotFoundError extends SapError {}
export class SapConcurrencyError extends SapError {}
export class SapBatchSelectionError extends SapError {}
export class SapTransientError extends SapError {}
export class SapTlsError extends SapError {}

export const isSapError = (e: unknown): e is SapError => e instanceof SapError;

/** Reads both error shapes: v1 `{code: -2028, message: {lang, value}}`, v2 `{code: "-2028", message: "…"}`. */
export function readSapError(data: unknown): { code?: string; message?: string } {
  const error = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (!error || typeof error !== 'object') return {};
  const code = error.code === undefined || error.code === null ? undefined : String(error.code);
  const m = error.message;
  const message = typeof m === 'string' ? m : m && typeof m === 'object' && 'value' in m ? String((m as { value: unknown }).value) : undefined;
  return { code, message };
}

const CONCURRENCY = new Set(['-2039', '-1116']);

/** Turns an HTTP answer from SAP into the right error class. */
export function classifyResponse(status: number, data: unknown, method: string, path: string): SapError {
  const { code, message } = readSapError(data);
  const where = `${method} ${path}`;
  const text = message ?? (typeof data === 'string' && data.length < 300 ? data : `HTTP ${status}`);
  const details = { code, sapMessage: message, status, method, path };
  const label = code ? `SAP ${code}: ${text} (${where})` : `SAP HTTP ${status}: ${text} (${where})`;
  if (code === '301' || status === 401) return new SapSessionError(label, { ...details, kind: 'session' });
  if (code && CONCURRENCY.has(code)) return new SapConcurrencyError(label, { ...details, kind: 'concurrency' });
  if (code === '-4014') return new SapBatchSelectionError(label, { ...details, kind: 'batch-selection' });
  if (code === '-2028' || (status === 404 && !code)) return new SapNotFoundError(label, { ...details, kind: 'not-found' });
  if (status >= 500 || status === 408 || status === 429) {
    // A 5xx on a write may come after SAP committed it (the load balancer timed out waiting for the node).
    return new SapTransientError(label, { ...details, kind: 'transient', outcomeUnknown: method !== 'GET' });
  }
  return new SapBusinessError(label, { ...details, kind: 'business' });
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Turns a failure below HTTP (timeout, reset, refused, TLS) into an error without the request's config or body. */
export function classifyNetworkError(error: unknown, method: string, path: string): SapError {
  const e = error as { code?: string; message?: string };
  const code = e.code ?? '';
  const message = e.message ?? String(error);
  const where = `${method} ${path}`;
  if (TLS_CODES.has(code) || /pin mismatch|certificate/i.test(message)) {
    return new SapTlsError(`SAP's certificate is not the trusted one: ${message} (${where})`, { kind: 'tls', method, path });
  }
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message);
  // A refused connection never reached SAP, so even a write is known not to have happened.
  const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return new SapTransientError(`SAP did not answer: ${timedOut ? 'timed out' : message}${code ? ` [${code}]` : ''} (${where})`, {
    kind: 'transient',
    method,
    path,
    outcomeUnknown: method !== 'GET' && !neverSent,
  });
}
