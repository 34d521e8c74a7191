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
  // "… code 'c1' already assigned to a business partner" is a duplicate, not an unknown customer.
  if (/already (assigned|exists)/.test(text)) return 'other';
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
    // Read only from SAP's own error (one with a code): a proxy's page that happens to say "address" refuses nothing.
    this.refusal = refusalOf(this.kind, this.code !== undefined ? this.sapMessage : undefined);
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

/** The words of a web page in a sentence: its title, else its first heading, else its text, shortened. */
export function pageWords(html: string): string {
  const pick = (re: RegExp) =>
    re
      .exec(html)?.[1]
      ?.replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const words =
    pick(/<title[^>]*>([\s\S]*?)<\/title>/i) ||
    pick(/<h1[^>]*>([\s\S]*?)<\/h1>/i) ||
    html
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  return words.length > 120 ? `${words.slice(0, 119)}…` : words;
}

const looksLikeHtml = (text: string) => /^\s*<(!doctype|html|head|body|title|h1|p)\b/i.test(text);

/**
 * An answer that is not the Service Layer's own: a web page (a proxy, a gateway, a captive portal, the wrong address),
 * JSON cut short, or nothing where SAP always sends a body. Transient and a fault of the connection, never of the record
 * (nothing SAP said about it); for a write, SAP may or may not have taken it: look it up before sending it again.
 * Null when the answer is SAP's.
 */
export function notSapAnswer(status: number, data: unknown, method: string, path: string, write = method !== 'GET'): SapError | null {
  const where = `${method} ${path}`;
  let message: string;
  if (typeof data === 'string' && data.trim() !== '') {
    message = looksLikeHtml(data)
      ? `SAP's address answered HTTP ${status} with a web page ('${pageWords(data)}') instead of SAP's answer: a proxy or gateway in between, or the wrong address (${where})`
      : `SAP's answer (HTTP ${status}) was not whole JSON: ${data.length} characters ending '${data.slice(-40).replace(/\s+/g, ' ')}', cut short on the way (${where})`;
  } else if ((data === undefined || data === null || data === '') && method === 'GET' && status !== 204) {
    message = `SAP answered HTTP ${status} with nothing where it always sends its answer (${where})`;
  } else return null;
  return new SapTransientError(message, {
    kind: 'transient',
    method,
    path,
    outcomeUnknown: write,
    sapMessage: typeof data === 'string' && data !== '' ? `HTTP ${status}: ${data.slice(0, 300)}` : `HTTP ${status} with no body`,
  });
}

/** Turns an HTTP answer from SAP into the right error class. */
export function classifyResponse(status: number, data: unknown, method: string, path: string): SapError {
  const { code, message } = readSapError(data);
  const where = `${method} ${path}`;
  const body = typeof data === 'string' && data.trim() !== '' ? data : null;
  const page = body !== null && looksLikeHtml(body);
  const text = message ?? (page ? `a web page ('${pageWords(body)}')` : body !== null && body.length < 300 ? body : `HTTP ${status}`);
  // Their words: SAP's message, or what answered instead of it (its status and its page or text, verbatim, bounded).
  const details = { code, sapMessage: message ?? (body === null ? undefined : `HTTP ${status}: ${body.slice(0, 300)}`), status, method, path };
  const label = code ? `SAP ${code}: ${text} (${where})` : `SAP HTTP ${status}: ${text} (${where})`;
  if (code === '301' || status === 401) return new SapSessionError(label, { ...details, kind: 'session' });
  if (code && CONCURRENCY.has(code)) return new SapConcurrencyError(label, { ...details, kind: 'concurrency' });
  if (code === '-4014') return new SapBatchSelectionError(label, { ...details, kind: 'batch-selection' });
  // A web page saying Not Found is the address (a proxy, a wrong path), not SAP saying the record does not exist.
  if (status === 404 && !code && page) return notSapAnswer(status, data, method, path)!;
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
