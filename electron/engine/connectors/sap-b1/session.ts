import { createHash } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { Clock, Logger } from '../../ports';
import { SapAuthError, SapError, classifyNetworkError, notSapAnswer, readSapError } from './errors';

export interface SessionDeps {
  http: AxiosInstance;
  companyDb: string;
  userName: string;
  password: () => Promise<string | undefined>;
  clock: Clock;
  logger: Logger;
  onLogin?: (latencyMs: number) => void;
}

/** Renew this long before SAP's idle timeout would end the session. */
const RENEW_MARGIN_MS = 60_000;

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * One Service Layer session: logs in, keeps the B1SESSION and ROUTEID cookies (parsed by hand: SAP's
 * B1SESSION cookie has no Path and a trailing `;` that some cookie jars drop), logs in again before the
 * idle timeout runs out, and lets one login serve every request waiting on it.
 *
 * A wrong password is remembered (as a hash) so it fails at once and SAP never sees it twice — repeated
 * failed logins are slow and may lock the SAP user.
 */
export class SapSession {
  private cookie: string | undefined;
  private lastUsed = 0;
  private timeoutMs = 30 * 60_000;
  private pending: Promise<string> | undefined;
  private rejected: { passwordHash: string; error: SapAuthError } | undefined;
  lastLogin: { at: number; latencyMs: number } | undefined;

  constructor(private readonly deps: SessionDeps) {}

  get active(): boolean {
    return this.cookie !== undefined;
  }

  /** The Cookie header for the next request, logging in first when there is no live session. */
  async cookieHeader(): Promise<string> {
    const now = this.deps.clock.now();
    if (this.cookie && now - this.lastUsed < this.timeoutMs - Math.min(RENEW_MARGIN_MS, this.timeoutMs / 10)) return this.cookie;
    return this.login();
  }

  /** A request succeeded with this session: SAP's idle timer restarted. */
  touch() {
    this.lastUsed = this.deps.clock.now();
  }

  /** SAP said this session is gone; the next request logs in again (unless another already did). */
  invalidate(cookie: string) {
    if (this.cookie === cookie) this.cookie = undefined;
  }

  login(): Promise<string> {
    this.pending ??= this.doLogin().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async doLogin(): Promise<string> {
    const password = await this.deps.password();
    if (!password) {
      throw new SapAuthError('No SAP password is stored for this connection; enter it in Settings', { kind: 'auth', method: 'POST', path: 'Login' });
    }
    const passwordHash = hash(password);
    if (this.rejected?.passwordHash === passwordHash) throw this.rejected.error;

    const started = this.deps.clock.now();
    let res;
    try {
      res = await this.deps.http.post('Login', { CompanyDB: this.deps.companyDb, UserName: this.deps.userName, Password: password }, { readOnly: true });
    } catch (e) {
      if (e instanceof SapError) throw e;
      // Never rethrow the axios error itself: its config holds the password.
      throw classifyNetworkError(e, 'POST', 'Login');
    }
    const latencyMs = this.deps.clock.now() - started;
    // A web page (a proxy's sign-in or error page) is not SAP refusing the password: never kept as a refusal.
    const foreign = notSapAnswer(res.status, res.data, 'POST', 'Login', false);
    if (foreign) throw foreign;
    if (res.status !== 200) {
      const { code, message } = readSapError(res.data);
      if (res.status >= 500) throw classifyNetworkError({ message: `HTTP ${res.status}` }, 'GET', 'Login');
      const error = new SapAuthError(
        `SAP refused the login for user ${this.deps.userName} on company ${this.deps.companyDb}: ${message ?? `HTTP ${res.status}`}. Check the company, user and password in Settings.`,
        { kind: 'auth', code, sapMessage: message, status: res.status, method: 'POST', path: 'Login' },
      );
      this.rejected = { passwordHash, error };
      this.cookie = undefined;
      throw error;
    }
    this.rejected = undefined;
    const setCookie = ([] as string[]).concat((res.headers['set-cookie'] as string[] | string | undefined) ?? []);
    const jar = new Map<string, string>();
    for (const c of setCookie) {
      const pair = c.split(';')[0] ?? '';
      const i = pair.indexOf('=');
      if (i > 0) jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    const body = res.data as { SessionId?: string; SessionTimeout?: number };
    if (!jar.has('B1SESSION') && body.SessionId) jar.set('B1SESSION', body.SessionId);
    if (!jar.has('B1SESSION')) throw new SapAuthError('SAP accepted the login but sent no session', { kind: 'auth', method: 'POST', path: 'Login' });
    if (typeof body.SessionTimeout === 'number' && body.SessionTimeout > 0) this.timeoutMs = body.SessionTimeout * 60_000;
    this.cookie = [...jar]
      .filter(([k]) => k === 'B1SESSION' || k === 'ROUTEID')
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    this.lastUsed = this.deps.clock.now();
    this.lastLogin = { at: this.lastUsed, latencyMs };
    this.deps.onLogin?.(latencyMs);
    this.deps.logger.info('SAP login', {
      companyDb: this.deps.companyDb,
      userName: this.deps.userName,
      latencyMs,
      sessionTimeoutMinutes: this.timeoutMs / 60_000,
    });
    return this.cookie;
  }

  async logout(): Promise<void> {
    const cookie = this.cookie;
    if (!cookie) return;
    this.cookie = undefined;
    try {
      await this.deps.http.post('Logout', undefined, { headers: { Cookie: cookie }, readOnly: true });
    } catch {
      // The session ends on SAP's side by itself after the idle timeout.
    }
  }
}
