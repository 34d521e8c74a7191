import type { Flow, FlowDeps } from '../../electron/engine';
import { CallGovernor, createJohnLewisMarketplace } from '../../electron/engine/connectors/john-lewis';
import { createSapConnector, sapPort } from '../../electron/engine/connectors/sap-b1';
import { sapFieldNames } from '../../electron/engine/connectors/connections';
import { ledgerCallStore } from '../../electron/engine/ledger/marketplace-calls';
import { flowsFor } from '../../electron/engine/flows';
import { chaosLedgerOpened } from './engine-controls';

/**
 * Built in the chaos suite's engine process: the standard flows over the standard connectors, except that the
 * marketplace governor keeps no published maxima (RT11 once in five minutes would make a trial wait; 429s with
 * Retry-After still come from the emulator and are honoured). Call windows live in the ledger, as in the product.
 */
export function buildFlows(deps: FlowDeps): Flow[] {
  chaosLedgerOpened(deps.ledger.db);
  const isDryRun = () => deps.settings().dryRun;
  const { clock, http, logger, secrets } = deps.ports;
  const connection = deps.settings().marketplace!;
  const sapConnector = createSapConnector({
    connection: deps.settings().sap!,
    password: () => secrets.get('sap.password'),
    http,
    clock,
    logger: logger.child({ system: 'sap-b1' }),
    isDryRun,
  });
  const store = ledgerCallStore(deps.ledger.db, `${connection.baseUrl}|${connection.shopId ?? ''}`, () => clock.now());
  const jl = createJohnLewisMarketplace({
    connection,
    secrets,
    http,
    clock,
    logger: logger.child({ system: 'marketplace' }),
    isDryRun,
    governor: new CallGovernor(clock, {}, { store }),
  });
  const sap = sapPort(sapConnector, () => sapFieldNames(deps.settings()));
  return flowsFor(deps, { sap: () => sap, marketplace: () => jl });
}
