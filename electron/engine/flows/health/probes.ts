import type { Marketplace } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { Connections } from '../../connectors/connections';
import type { SystemProbe } from './health-flow';
import type { Clock } from '../../ports';

/**
 * SAP answers when its load balancer answers /ping and the company database answers a small read through a
 * session (so a wrong password or a stopped database shows here first, not in the middle of an order).
 */
export function sapProbe(sap: Sap, clock: Clock): SystemProbe {
  return {
    system: 'sap-b1',
    label: 'SAP Business One Service Layer',
    async check() {
      const health = await sap.health();
      // No answer at all (status 0): the read below fails too, with the reason (TLS, refused, timeout).
      if (health.ping && !health.ping.ok && health.ping.status > 0) throw new Error(`/ping answered HTTP ${health.ping.status}`);
      const started = clock.now();
      const warehouses = await sap.company.warehouses();
      return { latencyMs: clock.now() - started, detail: `${warehouses.length} warehouses` };
    },
  };
}

/** The marketplace answers when its version endpoint (V01) does. */
export function marketplaceProbe(marketplace: Pick<Marketplace, 'shop'>): SystemProbe {
  return {
    system: 'marketplace',
    label: 'John Lewis Marketplace',
    async check() {
      const health = await marketplace.shop.health();
      if (!health.ok) throw new Error(health.error ?? `HTTP ${health.status ?? 'no answer'}`);
      return { latencyMs: health.latencyMs, detail: health.version ?? undefined };
    },
  };
}

export function probesFor(connections: Connections, clock: Clock): SystemProbe[] {
  const sap = connections.sap();
  const marketplace = connections.marketplace();
  return [...(sap ? [sapProbe(sap, clock)] : []), ...(marketplace ? [marketplaceProbe(marketplace)] : [])];
}
