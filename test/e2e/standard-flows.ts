import type { Flow, FlowDeps } from '../../electron/engine';
import { CallGovernor, createJohnLewisMarketplace } from '../../electron/engine/connectors/john-lewis';
import { createSapConnector, sapPort } from '../../electron/engine/connectors/sap-b1';
import { sapFieldNames } from '../../electron/engine/connectors/connections';
import { flowsFor } from '../../electron/engine/flows';

/**
 * Built in the engine process of the end-to-end tests (despatch, console scenarios): the standard flows over connectors whose marketplace governor has
 * no published maxima (OR11 once a minute would stall the test). Secrets come from the host over the port.
 */
export function buildFlows(deps: FlowDeps): Flow[] {
  const isDryRun = () => deps.settings().dryRun;
  const { clock, http, logger, secrets } = deps.ports;
  const sapConnector = createSapConnector({
    connection: deps.settings().sap!,
    password: () => secrets.get('sap.password'),
    http,
    clock,
    logger,
    isDryRun,
  });
  const jl = createJohnLewisMarketplace({
    connection: deps.settings().marketplace!,
    secrets,
    http,
    clock,
    logger,
    isDryRun,
    governor: new CallGovernor(clock, {}),
  });
  const sap = sapPort(sapConnector, () => sapFieldNames(deps.settings()));
  return flowsFor(deps, { sap: () => sap, marketplace: () => jl });
}
