import type { FlowDeps } from '../engine';
import type { Settings } from '../../../shared/domain/settings';
import type { Marketplace } from './ports/marketplace';
import type { Sap } from './ports/sap';
import { createJohnLewisMarketplace } from './john-lewis';
import { createSapConnector, sapPort, type SapConnector, type SapFieldNames } from './sap-b1';
import { ledgerCallStore } from '../ledger/marketplace-calls';

/**
 * One connector per configured system, shared by every flow (so SAP's concurrency limit and the
 * marketplace's call-frequency governor hold across flows), rebuilt only when its connection settings change.
 */
export interface Connections {
  /** SAP as the flows see it (connectors/ports/sap.ts). */
  sap(): Sap | null;
  marketplace(): Marketplace | null;
  /**
   * A throwaway SAP, signed in with what a person typed, that cannot write (Test connection): an open session of
   * the flows would say "Connected" to any password.
   */
  sapForTest?(connection: NonNullable<Settings['sap']>, password: () => Promise<string | undefined>): Sap;
  /** A secret changed: the next call builds the connector afresh (SAP signs in again with the new password instead of riding the old session). */
  reset?(system: 'sap' | 'marketplace'): void;
}

export function createConnections(deps: FlowDeps): Connections {
  const { ports } = deps;
  const isDryRun = () => deps.settings().dryRun;
  let sap: { key: string; connector: SapConnector; port: Sap } | null = null;
  let marketplace: { key: string; connector: Marketplace } | null = null;
  return {
    sap() {
      const connection = deps.settings().sap;
      if (!connection) return null;
      const key = JSON.stringify(connection);
      if (sap?.key !== key) {
        const connector = createSapConnector({
          connection,
          password: () => ports.secrets.get('sap.password'),
          http: ports.http,
          clock: ports.clock,
          logger: ports.logger.child({ system: 'sap-b1' }),
          isDryRun,
        });
        sap = { key, connector, port: sapPort(connector, () => sapFieldNames(deps.settings())) };
      }
      return sap.port;
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
    sapForTest(connection, password) {
      const connector = createSapConnector({
        connection,
        password,
        http: ports.http,
        clock: ports.clock,
        logger: ports.logger.child({ system: 'sap-b1', purpose: 'connection test' }),
        // The test only reads; nothing it does may write to SAP.
        isDryRun: () => true,
      });
      return sapPort(connector, () => sapFieldNames(deps.settings()));
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

/** The user-defined fields that carry the console's data in SAP, as the settings name them. */
export function sapFieldNames(settings: Settings): SapFieldNames {
  const carrier = settings.despatch.carrierSource;
  return {
    orderId: settings.orders.udf.orderId,
    orderLineId: settings.orders.udf.orderLineId,
    returnId: settings.orders.udf.returnId,
    refundId: settings.orders.udf.refundId,
    carrier: carrier.from === 'udf' ? carrier.name : null,
  };
}
