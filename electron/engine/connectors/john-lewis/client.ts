import type { AxiosInstance, AxiosResponse } from 'axios';
import type { MarketplaceConnection } from '../../../../shared/domain/settings';
import type { Clock, HttpClientFactory, Logger } from '../../ports';
import { isDryRunBlocked } from '../../net/errors';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../../net/retry';
import { CallDeferredError, MarketplaceError, MarketplaceNotConfiguredError } from './errors';
import { CallGovernor } from './governor';
import { PUBLISHED_MAXIMA } from './limits';
import { obj, parseJson, str } from './read';

export interface MiraklClientDeps {
  http: HttpClientFactory;
  clock: Clock;
  connection: MarketplaceConnection;
  /** From the secrets port ('marketplace.apiKey'); read per call so a changed key applies at once. */
  apiKey: () => Promise<string | undefined>;
  isDryRun: () => boolean;
  logger?: Logger;
  random?: () => number;
  /** One governor for every flow; pass the same one to every client of the same shop. */
  governor?: CallGovernor;
  retryPolicy?: RetryPolicy;
}

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;

export interface CallSpec {
  /** Mirakl operation code (OR11, STO01…): the governor and the logs key on it. */
  operation: string;
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  params?: Record<string, QueryValue>;
  data?: unknown;
  /** Safe to send again after a timeout or a 5xx (reads, and writes that set a state). 429 is always retried. */
  idempotent: boolean;
  /** Governor key when it differs from the operation (e.g. a full offer export). */
  governorKey?: string;
  /**
   * A follow-on page of a listing of this operation: governed under its page key until the marketplace answers such
   * a page 429, which makes every page of the operation count against its maximum from then on (decision 0404).
   */
  pageOf?: 'OR11';
}

export interface CallResult {
  status: number;
  text: string;
  body: unknown;
  headers: Record<string, string>;
}

/** Query string the way Mirakl reads it: lists as repeated parameters; comma lists are joined by the caller. */
export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
    else search.append(key, String(value));
  }
  return search.toString();
}

export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The one HTTP client of the John Lewis connector: the raw API key in Authorization (no "Bearer"), the
 * optional shop_id, the call-frequency governor, 429 with Retry-After, backoff with jitter, and errors that
 * carry the marketplace's message but never the key.
 */
export class MiraklClient {
  readonly governor: CallGovernor;
  private axios: AxiosInstance | undefined;

  constructor(private readonly deps: MiraklClientDeps) {
    this.governor = deps.governor ?? new CallGovernor(deps.clock, PUBLISHED_MAXIMA);
  }

  get baseUrl(): string {
    return this.deps.connection.baseUrl.replace(/\/+$/, '');
  }

  async call(spec: CallSpec): Promise<CallResult> {
    // Asked at each attempt: a page refused as counted is tried again under the operation's own window.
    const key = () => (spec.pageOf ? this.governor.pageKey(spec.pageOf) : (spec.governorKey ?? spec.operation));
    return withRetry(() => this.once(spec, key()), {
      clock: this.deps.clock,
      policy: this.deps.retryPolicy ?? DEFAULT_RETRY,
      random: this.deps.random,
      // A deferred call is not tried again inside this run: the marketplace will not take it before a later one.
      retryable: (e) => e instanceof MarketplaceError && !(e instanceof CallDeferredError) && e.transient && (e.status === 429 || spec.idempotent),
      retryAfterMs: (e) => (e instanceof MarketplaceError ? e.retryAfterMs : undefined),
      onRetry: (e, attempt, delayMs) =>
        this.deps.logger?.warn('marketplace call retried', { operation: spec.operation, attempt, delayMs, error: (e as Error).message }),
    });
  }

  /** Like call, but a non-2xx status becomes a MarketplaceError, and so does a 2xx that is not the marketplace's answer. */
  async ok(spec: CallSpec): Promise<CallResult> {
    const result = await this.call(spec);
    if (result.status < 200 || result.status >= 300) throw this.httpError(spec.operation, result);
    const foreign = notMarketplaceAnswer(spec.operation, result);
    if (foreign) throw foreign;
    return result;
  }

  private client(): AxiosInstance {
    this.axios ??= this.deps.http.create({
      system: 'marketplace',
      baseURL: this.baseUrl,
      timeoutMs: this.deps.connection.timeoutSeconds * 1000,
      isDryRun: this.deps.isDryRun,
    });
    return this.axios;
  }

  private async once(spec: CallSpec, governorKey: string): Promise<CallResult> {
    const apiKey = await this.deps.apiKey();
    if (!apiKey) throw new MarketplaceNotConfiguredError(spec.operation);
    const isWrite = spec.method !== 'GET';
    // Under dry run the HTTP client refuses the write; no need to wait for a slot that will not be used.
    const answered = isWrite && this.deps.isDryRun() ? () => undefined : await this.governor.acquire(governorKey, spec.operation);
    const params = { ...spec.params, shop_id: this.deps.connection.shopId ?? undefined };
    const qs = queryString(params);
    const started = this.deps.clock.now();
    let response: AxiosResponse<string>;
    try {
      response = await this.client().request<string>({
        method: spec.method,
        url: `${spec.path}${qs ? `?${qs}` : ''}`,
        data: spec.data,
        headers: { Authorization: apiKey, Accept: 'application/json' },
        responseType: 'text',
        transformResponse: [(d: unknown) => d],
      });
    } catch (error) {
      answered();
      if (isDryRunBlocked(error)) throw error;
      // Only the error code and message: the axios error holds the request config, API key included.
      const code = (error as { code?: string }).code ?? 'ERROR';
      throw new MarketplaceError(spec.operation, null, `${spec.operation}: network error (${code})`, null, true);
    }
    answered();
    const text = typeof response.data === 'string' ? response.data : '';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers ?? {})) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    this.deps.logger?.debug('marketplace call', { operation: spec.operation, status: response.status, ms: this.deps.clock.now() - started });
    const result: CallResult = { status: response.status, text, body: safeJson(text), headers };
    if (response.status === 429) {
      const now = this.deps.clock.now();
      const wait = retryAfterMs(headers['retry-after'], now);
      if (spec.pageOf && governorKey !== spec.pageOf) {
        // The marketplace counts follow-on pages after all: every page goes under the operation's window from now on.
        const detail = `${spec.operation} ${response.status} on a follow-on page: ${text.slice(0, 300) || 'no body'}`;
        if (this.governor.countPages(spec.pageOf, detail))
          this.deps.logger?.warn('The marketplace counts every page of the order list against its limit: one page at a time from now on', {
            operation: spec.operation,
            retryAfterMs: wait ?? null,
          });
        governorKey = spec.pageOf;
      }
      if (wait !== undefined) {
        this.governor.pause(governorKey, wait);
        // Never sleep through a long Retry-After (a once-a-day operation asks for about a day) inside a run.
        if (!this.governor.fitsInRun(wait)) {
          throw new CallDeferredError(
            spec.operation,
            governorKey,
            now + wait,
            now,
            429,
            `the marketplace answered 429 with Retry-After ${Math.round(wait / 1000)} s`,
          );
        }
      }
      throw this.httpError(spec.operation, result, wait);
    }
    if (response.status >= 500) throw this.httpError(spec.operation, result);
    return result;
  }

  private httpError(operation: string, result: CallResult, retryAfter?: number): MarketplaceError {
    const body = obj(result.body);
    const detail = str(body.message) ?? str(obj(body.error).message) ?? (result.text.slice(0, 500) || 'no body');
    const transient = result.status === 429 || result.status >= 500;
    return new MarketplaceError(
      operation,
      result.status,
      `${operation} ${result.status}: ${detail}`,
      result.text.slice(0, 4000) || null,
      transient,
      retryAfter,
    );
  }
}

/**
 * A 2xx that is not the marketplace's answer: a web page (a proxy, a captive portal, the wrong address) where the
 * marketplace answers JSON or a file, or JSON cut short. Read as "nothing" it would look like an empty order list.
 * Transient (a fault of the way there): for a write, whether the marketplace took it is not known.
 */
export function notMarketplaceAnswer(operation: string, result: CallResult): MarketplaceError | null {
  const text = result.text.trimStart();
  if (/^<(!doctype|html|head|body|title)\b/i.test(text)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
    const words = title ? `a web page ('${title.slice(0, 120)}')` : 'a web page';
    return new MarketplaceError(
      operation,
      null,
      `${operation}: the marketplace's address answered HTTP ${result.status} with ${words} instead of the marketplace's answer: a proxy or portal in between, or the wrong address`,
      result.text.slice(0, 4000),
      true,
    );
  }
  if (/^[[{]/.test(text) && result.body === null)
    return new MarketplaceError(
      operation,
      null,
      `${operation}: the marketplace's answer was not whole JSON (${result.text.length} characters), cut short on the way`,
      result.text.slice(0, 4000),
      true,
    );
  return null;
}

function safeJson(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    return null;
  }
}
