/**
 * Faults the emulator can inject, set at start-up or at run time through /__admin/faults. Each rule matches
 * requests by method and path fragment and fires `times` times (or until cleared), with probability `rate`.
 */
export type FaultKind =
  /** Waits `ms` before handling the request. */
  | 'latency'
  /** Answers with `status` (default 503) without touching the company. */
  | 'error5xx'
  /** Expires the caller's session first, so the request fails with 401 / 301. */
  | 'expireSession'
  /** Refuses a write with -2039 (another user changed the data). */
  | 'conflict'
  /** Commits the request, then drops the connection: the client never learns its create succeeded. */
  | 'loseResponse'
  /**
   * Holds the request `ms` (default 5 s), then drops the connection without touching the company: a load balancer or
   * a Service Layer node that gave up before the request reached the company. The client cannot tell it from a
   * `loseResponse` or a `slowResponse`: only a lookup says nothing landed.
   */
  | 'hang'
  /** Commits the request, then waits `ms` before answering (longer than the client's timeout). */
  | 'slowResponse'
  /**
   * Works `ms` before committing and answering, as a busy SAP does: until then nothing is visible to a
   * lookup, and the commit lands even if the client gave up waiting.
   */
  | 'slowCommit';

export interface FaultRule {
  kind: FaultKind;
  /** Only requests with this method (GET, POST, PATCH…). */
  method?: string;
  /** Only requests whose service path contains this text, e.g. `DeliveryNotes` or `SQLQueries`. */
  path?: string;
  /** Fire this many times, then stop; unset: until cleared. */
  times?: number;
  /** Probability of firing per matching request, 0–1 (default 1). */
  rate?: number;
  ms?: number;
  status?: number;
}

export class Faults {
  rules: FaultRule[] = [];

  constructor(private readonly random: () => number) {}

  set(rules: FaultRule[]) {
    this.rules = rules.map((r) => ({ ...r }));
  }

  add(rule: FaultRule) {
    this.rules.push({ ...rule });
  }

  /** The faults that fire for this request, consuming their counts. */
  take(method: string, path: string): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const rule of this.rules) {
      if (rule.times !== undefined && rule.times <= 0) continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path && !path.includes(rule.path)) continue;
      if (rule.kind === 'conflict' && method.toUpperCase() === 'GET') continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      if (rule.times !== undefined) rule.times--;
      fired.push(rule);
    }
    this.rules = this.rules.filter((r) => r.times === undefined || r.times > 0);
    return fired;
  }
}
