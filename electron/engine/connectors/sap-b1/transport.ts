import type { AxiosInstance, AxiosResponse } from 'axios';
import { isDryRunBlocked } from '../../net/errors';
import type { Clock, Logger } from '../../ports';
import { SapSessionError, SapTransientError, classifyNetworkError, classifyResponse, isSapError, notSapAnswer, readSapError } from './errors';
import type { Limiter } from './limiter';
import { entityOf, type LatencyRecorder } from './metrics';
import type { SapSession } from './session';

export interface SapRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below /b1s/vN/, query string included. */
  path: string;
  data?: unknown;
  headers?: Record<string, string>;
  /** A POST that changes nothing ($batch of reads): allowed under dry run. */
  readOnly?: boolean;
  /** Raw body and content type (multipart $batch); default JSON. */
  raw?: boolean;
}

export interface TransportDeps {
  http: AxiosInstance;
  session: SapSession;
  limiter: Limiter;
  latency: LatencyRecorder;
  clock: Clock;
  logger: Logger;
}

/**
 * Sends one request: within the connection's concurrency limit, with the session cookies, and on a 401 /
 * code 301 logs in once more and replays it (SAP did not process a request it refused for the session).
 * Any other failure is classified and thrown; retries are the caller's decision.
 */
export class SapTransport {
  constructor(private readonly deps: TransportDeps) {}

  send(req: SapRequest): Promise<AxiosResponse> {
    return this.deps.limiter.run(async () => {
      const pathOnly = req.path.split('?')[0] ?? req.path;
      for (let attempt = 1; ; attempt++) {
        const cookie = await this.deps.session.cookieHeader().catch((e: unknown) => {
          // No session, so the request itself was never sent: whatever the login met, this write did not happen.
          throw isSapError(e) && e.outcomeUnknown ? new SapTransientError(e.message, { ...e, kind: e.kind, outcomeUnknown: false }) : e;
        });
        const started = this.deps.clock.now();
        let res: AxiosResponse;
        try {
          res = await this.deps.http.request({
            method: req.method,
            url: req.path,
            data: req.data,
            headers: { ...(req.raw ? {} : { 'Content-Type': 'application/json' }), ...req.headers, Cookie: cookie },
            readOnly: req.readOnly,
            responseType: req.raw ? 'text' : 'json',
          });
        } catch (e) {
          if (isDryRunBlocked(e)) throw e;
          throw classifyNetworkError(e, req.method, pathOnly);
        }
        this.deps.latency.record(entityOf(req.path), this.deps.clock.now() - started);
        const sessionLost = res.status === 401 || readSapError(res.data).code === '301';
        if (sessionLost) {
          this.deps.session.invalidate(cookie);
          if (attempt === 1) {
            this.deps.logger.info('SAP session expired; logging in again and replaying', { method: req.method, path: pathOnly });
            continue;
          }
          const err = classifyResponse(res.status, res.data, req.method, pathOnly);
          throw new SapSessionError(`SAP refused a fresh session: ${err.message}`, { ...err, kind: 'session' });
        }
        if (res.status >= 400) throw classifyResponse(res.status, res.data, req.method, pathOnly);
        if (!req.raw) {
          // A 2xx is SAP's answer only if it reads as one: a web page or JSON cut short is not, and an error inside is SAP saying no.
          const odd = notSapAnswer(res.status, res.data, req.method, pathOnly, req.method !== 'GET' && !req.readOnly);
          if (odd) throw odd;
          if (readSapError(res.data).code !== undefined) throw classifyResponse(res.status, res.data, req.method, pathOnly);
        }
        this.deps.session.touch();
        return res;
      }
    });
  }
}
