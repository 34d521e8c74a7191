import type { AxiosInstance } from 'axios';
import type { Clock } from '../../ports';
import type { SystemProbe } from './health-flow';

/**
 * A probe that counts any HTTP answer below 500 as "up": an auth refusal still proves the server is
 * there. Used until a connector offers its own health check.
 */
export function httpProbe(system: string, label: string, client: AxiosInstance, path: string, clock: Clock): SystemProbe {
  return {
    system,
    label,
    async check() {
      const started = clock.now();
      const response = await client.get(path);
      if (response.status >= 500) throw new Error(`HTTP ${response.status} from ${path}`);
      return { latencyMs: clock.now() - started };
    },
  };
}
