import type { Flow, FlowDeps } from '../electron/engine';
import { CallGovernor, createJohnLewisMarketplace } from '../electron/engine/connectors/john-lewis';
import { createSapConnector, sapPort } from '../electron/engine/connectors/sap-b1';
import { sapFieldNames } from '../electron/engine/connectors/connections';
import { flowsFor } from '../electron/engine/flows';

/**
 * The flows of `npm run bench -- responsiveness`, built where the engine runs (its process, or the host's thread
 * for the comparison): the standard flows over connectors whose marketplace governor has no published maxima, so
 * the second order run does not wait a minute for OR11. Secrets come from the host's port.
 */
export function buildFlows(deps: FlowDeps): Flow[] {
  const isDryRun = () => deps.settings().dryRun;
  const { clock, http, logger, secrets } = deps.ports;
  const connector = createSapConnector({ connection: deps.settings().sap!, password: () => secrets.get('sap.password'), http, clock, logger, isDryRun });
  const sap = sapPort(connector, () => sapFieldNames(deps.settings()));
  const marketplace = createJohnLewisMarketplace({
    connection: deps.settings().marketplace!,
    secrets,
    http,
    clock,
    logger,
    isDryRun,
    governor: new CallGovernor(clock, {}),
  });
  return flowsFor(deps, { sap: () => sap, marketplace: () => marketplace });
}
