import type { FlowDeps } from '../engine';
import { createConnections } from '../connectors/connections';
import type { Flow } from './flow';
import { healthFlow } from './health/health-flow';
import { probesFor } from './health/probes';
import { connectionSetup } from './health/connection-setup';
import { stockFlow } from './stock';
import { ordersFlow } from './orders';

/** The flows a real engine runs, built from the settings and secrets its host provides. */
export function standardFlows(deps: FlowDeps): Flow[] {
  const connections = createConnections(deps);
  return [
    { ...healthFlow(() => probesFor(connections, deps.ports.clock)), ...connectionSetup(deps, connections) },
    stockFlow({ connections, ledger: deps.ledger, settings: deps.settings, clock: deps.ports.clock }),
    ordersFlow(deps, { sap: () => connections.sap(), marketplace: () => connections.marketplace() }),
  ];
}
