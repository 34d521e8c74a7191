import type { FlowDeps } from '../engine';
import type { Marketplace } from './marketplace';
import { createJohnLewisMarketplace } from './john-lewis';
import { createSapConnector, type SapConnector } from './sap-b1';
import { ledgerCallStore } from '../ledger/marketplace-calls';

/**
 * One connector per configured system, shared by every flow (so SAP's concurrency limit and the
 * marketplace's call-frequency governor hold across flows), rebuilt only when its connection settings change.
 */
export interface Connections {
  sap(): SapConnector | null;
  marketplace(): Marketplace | null;
  /** A secret changed: the next call builds the connector afresh (SAP signs in again with the new password instead of riding the old session). */
  reset?(system: 'sap' | 'marketplace'): void;
}

export function createConnections(deps: FlowDeps): Connections {
  const { ports } = deps;
  const isDryRun = () => deps.settings().dryRun;
  let sap: { key: string; connector: SapConnector } | null = null;
  let marketplace: { key: string; connector: Marketplace } | null = null;
  return {
    sap() {
      const connection = deps.settings().sap;
      if (!connection) return null;
      const key = JSON.stringify(connection);
      if (sap?.key !== key) {
        sap = {
          key,
          connector: createSapConnector({
            connection,
            password: () => ports.secrets.get('sap.password'),
            http: ports.http,
            clock: ports.clock,
            logger: ports.logger.child({ system: 'sap-b1' }),
            isDryRun,
          }),
        };
      }
      return sap.connector;
    },
    marketplace() {
      const connection = deps.settings().marketplace;
      if (!connection) return null;
      const key = JSON.stringify(connection);
      if (marketplace?.key !== key) {
        marketplace = {
          key,
          connector: createJohnLewisMarketplace({
            connection,
            secrets: ports.secrets,
            http: ports.http,
            clock: ports.clock,
            logger: ports.logger.child({ system: 'marketplace' }),
            isDryRun,
            // Call windows and daily reads outlive the process: one store per seller API address and shop.
            store: ledgerCallStore(deps.ledger.db, `${connection.baseUrl}|${connection.shopId ?? ''}`, () => ports.clock.now()),
            ...(ports.random ? { random: ports.random } : {}),
          }),
        };
      }
      return marketplace.connector;
    },
    reset(system) {
      if (system === 'sap' && sap) {
        void sap.connector.logout();
        sap = null;
      }
      if (system === 'marketplace') marketplace = null;
    },
  };
}
