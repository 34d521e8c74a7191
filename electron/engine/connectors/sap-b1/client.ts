import type { AxiosInstance } from 'axios';
import { withRetry, type RetryPolicy } from '../../net/retry';
import type { Clock, Logger } from '../../ports';
import { buildBatch, parseBatchResponse, type BatchItem, type BatchResult } from './batch';
import { SapError, isSapError } from './errors';
import { normaliseNextLink, preferPageSize, readPage, type SapPage } from './paging';
import type { SapVersion } from './schema';
import type { SapRequest, SapTransport } from './transport';

export interface SapClientDeps {
  transport: SapTransport;
  http: AxiosInstance;
  version: SapVersion;
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  random?: () => number;
}

/** Upper bound on pages per listing, so a server that keeps sending next links cannot loop us forever. */
const MAX_PAGES = 100_000;

/**
 * The connector's request layer: reads retry on transient failures and conflicts; writes retry only on a
 * conflict SAP refused (-2039: nothing was written). A write lost in transit is never sent again blindly —
 * see createWithLookup.
 */
export class SapClient {
  constructor(readonly deps: SapClientDeps) {}

  get version(): SapVersion {
    return this.deps.version;
  }

  private retrying<T>(
    fn: () => Promise<T>,
    retryable: (e: unknown) => boolean,
    beforeRetry?: () => Promise<{ done: true; value: T } | { done: false }>,
  ): Promise<T> {
    return withRetry(fn, {
      clock: this.deps.clock,
      policy: this.deps.retry,
      random: this.deps.random,
      retryable,
      beforeRetry,
      onRetry: (e, attempt, delayMs) => this.deps.logger.warn('SAP request retried', { attempt, delayMs, error: e instanceof Error ? e.message : String(e) }),
    });
  }

  /** A GET: retried on transient failures and conflicts. */
  async read<T = unknown>(path: string, headers?: Record<string, string>): Promise<T> {
    const res = await this.retrying(
      () => this.deps.transport.send({ method: 'GET', path, headers }),
      (e) => isSapError(e) && e.retryable,
    );
    return res.data as T;
  }

  /**
   * A GET of one entity with its ETag (the `ETag` header, else the body's `@odata.etag` / v1 `odata.etag`);
   * `etag` is undefined when the Service Layer sends none (before 10.0 FP 2102, or a set SAP does not version).
   */
  async readEntity<T = Record<string, unknown>>(path: string): Promise<{ entity: T; etag?: string }> {
    const res = await this.retrying(
      () => this.deps.transport.send({ method: 'GET', path }),
      (e) => isSapError(e) && e.retryable,
    );
    const body = (res.data ?? {}) as Record<string, unknown>;
    const header = res.headers['etag'] as unknown;
    const annotation = body['@odata.etag'] ?? body['odata.etag'];
    const etag = typeof header === 'string' && header ? header : typeof annotation === 'string' && annotation ? annotation : undefined;
    const entity = Object.fromEntries(Object.entries(body).filter(([k]) => !k.includes('@') && !k.startsWith('odata.'))) as T;
    return { entity, etag };
  }

  /**
   * A write: retried only when SAP refused it with a conflict, or when it is known never to have arrived.
   * `retryOnConflict: false` is for a compare-and-set (If-Match): a -2039 there means someone else wrote
   * first, which sending again cannot cure, so it is thrown to the caller at once.
   */
  async write<T = unknown>(req: SapRequest, options: { retryOnConflict?: boolean } = {}): Promise<{ data: T; location?: string; status: number }> {
    const idempotent = req.method === 'PATCH';
    const retryOnConflict = options.retryOnConflict ?? true;
    const res = await this.retrying(
      () => this.deps.transport.send(req),
      (e) => isSapError(e) && ((e.kind === 'concurrency' && retryOnConflict) || (e.kind === 'transient' && (!e.outcomeUnknown || idempotent))),
    );
    return { data: res.data as T, location: res.headers['location'] as string | undefined, status: res.status };
  }

  /**
   * Creates an entity whose response may be lost (timeout, reset, 5xx after commit). Before anything is
   * sent again, `lookup` asks SAP whether the first attempt landed; if so its result is returned instead.
   *
   * A lookup that finds nothing right after a lost answer proves nothing: SAP may still be working on the
   * create and commit it later. So unless `resendWhenNotFound` (safe only where SAP refuses a second copy,
   * e.g. a user-table row with a unique Code), the error is thrown with `outcomeUnknown` set and the caller
   * must look again after a settle time before it ever sends again. A failure known not to have reached SAP
   * (connection refused, a -2039 refusal) is retried as before.
   */
  async createWithLookup<T>(
    path: string,
    body: unknown,
    lookup: () => Promise<T | undefined>,
    options: { resendWhenNotFound?: boolean } = {},
  ): Promise<{ entity: T; recovered: boolean }> {
    let recovered = false;
    let last: unknown;
    const entity = await this.retrying<T>(
      async () => {
        try {
          return (await this.deps.transport.send({ method: 'POST', path, data: body })).data as T;
        } catch (e) {
          last = e;
          throw e;
        }
      },
      (e) => isSapError(e) && (e.kind === 'concurrency' || e.kind === 'transient'),
      async () => {
        const found: T | undefined = await lookup();
        if (found !== undefined) {
          recovered = true;
          this.deps.logger.warn('SAP create whose answer was lost was found by lookup; not sent again', { path });
          return { done: true, value: found } as const;
        }
        if (isSapError(last) && last.outcomeUnknown && !options.resendWhenNotFound) {
          this.deps.logger.warn('SAP create answered no result and is not found yet; not sent again until a later lookup', { path });
          throw last;
        }
        return { done: false } as const;
      },
    );
    return { entity, recovered };
  }

  /** A function import that changes nothing (e.g. CompanyService_GetAdminInfo): POST in v1, GET with () in v2; retried like a read. */
  async invoke<T = unknown>(name: string): Promise<T> {
    const req = this.deps.version === 'v1' ? ({ method: 'POST', path: name, readOnly: true } as const) : ({ method: 'GET', path: `${name}()` } as const);
    const res = await this.retrying(
      () => this.deps.transport.send(req),
      (e) => isSapError(e) && e.retryable,
    );
    return res.data as T;
  }

  /** Every page of a collection, following next links, asking SAP for pages of `pageSize`. */
  async *pages<T>(path: string, pageSize = 500): AsyncGenerator<T[]> {
    let next: string | undefined = path;
    const seen = new Set<string>();
    for (let n = 0; next; n++) {
      if (n >= MAX_PAGES || seen.has(next))
        throw new SapError(`SAP kept sending next links for ${path.split('?')[0]}`, { kind: 'transient', method: 'GET', path: path.split('?')[0] });
      seen.add(next);
      const page: SapPage<T> = readPage<T>(await this.read(next, preferPageSize(pageSize)));
      yield page.value;
      next = page.nextLink ? normaliseNextLink(page.nextLink, this.deps.version) : undefined;
    }
  }

  async all<T>(path: string, pageSize = 500): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.pages<T>(path, pageSize)) out.push(...page);
    return out;
  }

  /** Runs a $batch and reports every part. A batch of reads only is allowed under dry run; retries only when all parts are reads. */
  async batch(items: BatchItem[]): Promise<BatchResult> {
    const { contentType, body } = buildBatch(this.deps.version, items);
    const readsOnly = items.every((i) => !('changeSet' in i) && i.method === 'GET');
    const send = () =>
      this.deps.transport.send({ method: 'POST', path: '$batch', data: body, raw: true, readOnly: readsOnly, headers: { 'Content-Type': contentType } });
    const res = readsOnly ? await this.retrying(send, (e) => isSapError(e) && e.retryable) : await send();
    return parseBatchResponse(items, res.headers['content-type'] as string | undefined, String(res.data));
  }
}
