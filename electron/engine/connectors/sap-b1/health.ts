import type { AxiosInstance } from 'axios';
import type { Clock } from '../../ports';
import type { LatencyRecorder, LatencySummary } from './metrics';
import type { SapSession } from './session';

export interface SapHealth {
  /** `/ping/` answers from the load balancer without touching B1 (SL 9.3 PL10+); null where the server has no ping. */
  ping: { ok: boolean; latencyMs: number; status: number } | null;
  login: { at: number; latencyMs: number } | null;
  sessionActive: boolean;
  /** Request latency percentiles per entity set, over the most recent requests. */
  requests: Record<string, LatencySummary>;
  inFlight: number;
  maxConcurrency: number;
}

export async function checkHealth(deps: {
  http: AxiosInstance;
  baseUrl: string;
  clock: Clock;
  session: SapSession;
  latency: LatencyRecorder;
  inFlight: number;
  maxConcurrency: number;
}): Promise<SapHealth> {
  let ping: SapHealth['ping'] = null;
  const started = deps.clock.now();
  try {
    const res = await deps.http.get(`${deps.baseUrl.replace(/\/+$/, '')}/ping/`);
    if (res.status !== 404) ping = { ok: res.status === 200, latencyMs: deps.clock.now() - started, status: res.status };
  } catch {
    ping = { ok: false, latencyMs: deps.clock.now() - started, status: 0 };
  }
  return {
    ping,
    login: deps.session.lastLogin ?? null,
    sessionActive: deps.session.active,
    requests: deps.latency.summary(),
    inFlight: deps.inFlight,
    maxConcurrency: deps.maxConcurrency,
  };
}
