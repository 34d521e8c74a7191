import type { FlowDeps } from '../engine';
import { createConnections, type Connections } from '../connectors/connections';
import type { Flow } from './flow';
import { healthFlow } from './health/health-flow';
import { probesFor } from './health/probes';
import { connectionSetup } from './health/connection-setup';
import { stockFlow } from './stock';
import { ordersFlow } from './orders';
import { despatchFlow } from './despatch';
import { reservations } from './orders/reservations';
import { postedOrders } from './orders/posted-orders';
import { invoicingFlow } from './invoicing';
import { invoicedOrders } from './invoicing/invoiced-orders';
import { returnsFlow } from './returns';
import { settlementFlow } from './settlement';

/** The flows a real engine runs, built from the settings and secrets its host provides. */
export function standardFlows(deps: FlowDeps): Flow[] {
  return flowsFor(deps, createConnections(deps));
}

/** The flows, linked to each other, over the given connections (tests pass connectors built their own way). */
export function flowsFor(deps: FlowDeps, connections: Connections): Flow[] {
  const reserved = reservations(deps.ledger.db);
  const stock = stockFlow({ connections, ledger: deps.ledger, settings: deps.settings, clock: deps.ports.clock, reserved: reserved.forStockBySku });
  // An order may take what SAP's last figure allows less the units other orders not yet in SAP hold.
  const availability = {
    availableFor(sku: string, orderId: string) {
      const figure = stock.availabilityFor(sku);
      return figure ? Math.max(0, figure.grossAvailable - reserved.forAcceptance(sku, figure.computedAt, orderId)) : null;
    },
  };
  const posted = postedOrders(deps.ledger.db);
  const returns = returnsFlow(deps, {
    sap: () => connections.sap(),
    marketplace: () => connections.marketplace(),
    postedOrders: posted,
    invoiced: invoicedOrders(deps.ledger.db, () => new Date(deps.ports.clock.now())),
  });
  return [
    { ...healthFlow(() => probesFor(connections, deps.ports.clock)), ...connectionSetup(deps, connections) },
    stock,
    ordersFlow(deps, {
      sap: () => connections.sap(),
      marketplace: () => connections.marketplace(),
      availability,
      onOrderLinesTouched: (skus) => stock.markTouched(skus),
      onOrdersRead: (orders) => returns.noteRefunds(orders),
    }),
    despatchFlow(deps, { sap: () => connections.sap(), marketplace: () => connections.marketplace(), postedOrders: posted }),
    invoicingFlow(deps, { sap: () => connections.sap(), postedOrders: posted }),
    returns,
    settlementFlow(deps, { sap: () => connections.sap(), marketplace: () => connections.marketplace() }),
  ];
}
