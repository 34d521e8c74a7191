import type { CommandName, CommandResponse } from '../../shared/contract';
import type { ConnectionsView } from '../../shared/contract/connections';

export const FAKE_FINGERPRINT = Array.from({ length: 32 }, (_, i) => ((i * 37 + 11) % 256).toString(16).toUpperCase().padStart(2, '0')).join(':');

/**
 * The engine's connection setup, in memory, for the Connections screen: it keeps the view the engine would
 * return (never a secret, only whether one is set), and answers tests and certificate checks as set by a test.
 */
export class FakeConnections {
  view: ConnectionsView = { sap: null, marketplace: null };
  presented: CommandResponse<'connections.inspectSapCertificate'> = {
    sha256: FAKE_FINGERPRINT,
    subject: 'CN=sap-b1.office.lan',
    issuer: 'CN=sap-b1.office.lan',
    validFrom: 'Jan  1 00:00:00 2026 GMT',
    validTo: 'Dec 31 23:59:59 2035 GMT',
    selfSigned: true,
  };
  sapTest: CommandResponse<'connections.testSap'> = { ok: true, latencyMs: 42, message: 'Connected (2 warehouses)' };
  marketplaceTest: CommandResponse<'connections.testMarketplace'> = { ok: false, latencyMs: null, message: 'No marketplace connection is set up', shop: null };
  /** Command → the error the engine answers it with, e.g. a refused payload or a changed certificate. */
  failWith: Partial<Record<CommandName, string>> = {};

  answer(name: string, r: Record<string, unknown>): unknown {
    const failure = this.failWith[name as CommandName];
    if (failure) throw new Error(failure);
    switch (name) {
      case 'connections.get':
        return this.view;
      case 'connections.saveSap': {
        const before = this.view.sap;
        const connection = r.connection as NonNullable<ConnectionsView['sap']>['connection'];
        const samePlace = before?.connection.baseUrl === connection.baseUrl;
        this.view = {
          ...this.view,
          sap: { connection, passwordSet: Boolean(r.password) || Boolean(before?.passwordSet), pinnedCertificate: samePlace ? before.pinnedCertificate : null },
        };
        return this.view;
      }
      case 'connections.inspectSapCertificate':
        return this.presented;
      case 'connections.trustSapCertificate':
        this.view = { ...this.view, sap: { ...this.view.sap!, pinnedCertificate: { sha256: r.sha256 as string } } };
        return this.view;
      case 'connections.forgetSapCertificate':
        this.view = { ...this.view, sap: { ...this.view.sap!, pinnedCertificate: null } };
        return this.view;
      case 'connections.testSap':
        return this.sapTest;
      case 'connections.saveMarketplace': {
        const connection = r.connection as NonNullable<ConnectionsView['marketplace']>['connection'];
        this.view = { ...this.view, marketplace: { connection, apiKeySet: Boolean(r.apiKey) || Boolean(this.view.marketplace?.apiKeySet) } };
        return this.view;
      }
      case 'connections.testMarketplace':
        return this.marketplaceTest;
    }
    throw new Error(`The fake engine does not answer ${name}`);
  }
}
