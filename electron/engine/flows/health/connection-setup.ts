import type { FlowDeps } from '../../engine';
import type { Connections } from '../../connectors/connections';
import type { CommandHandlers, QueryHandlers } from '../flow';
import { fetchPresentedCertificate } from '../../net/tls-pin';
import { ContractError } from '../../../../shared/contract';
import type { ConnectionsView } from '../../../../shared/contract/connections';
import { sapProbe, marketplaceProbe } from './probes';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The console's connection setup: the health flow owns the connections, so it answers for them. Secrets go
 * one way — into the secrets port — and the console only ever learns whether one is set.
 */
export function connectionSetup(deps: FlowDeps, connections: Connections): { queries: QueryHandlers; commands: CommandHandlers } {
  const { ports } = deps;

  async function view(): Promise<ConnectionsView> {
    const s = deps.settings();
    let sap: ConnectionsView['sap'] = null;
    if (s.sap) {
      const { pinnedCertificate, ...connection } = s.sap;
      sap = {
        connection,
        passwordSet: Boolean(await ports.secrets.get('sap.password')),
        pinnedCertificate: pinnedCertificate ? { sha256: pinnedCertificate.sha256 } : null,
      };
    }
    return {
      sap,
      marketplace: s.marketplace ? { connection: s.marketplace, apiKeySet: Boolean(await ports.secrets.get('marketplace.apiKey')) } : null,
    };
  }

  function sapAddress() {
    const sap = deps.settings().sap;
    if (!sap) throw new ContractError('failed', 'Save the SAP connection first');
    const url = new URL(sap.baseUrl);
    if (url.protocol !== 'https:') throw new ContractError('failed', `${sap.baseUrl} is not HTTPS: there is no certificate to trust`);
    return { host: url.hostname, port: Number(url.port || 443) };
  }

  async function timed(check: () => Promise<{ latencyMs: number; detail?: string }>) {
    try {
      const { latencyMs, detail } = await check();
      return { ok: true, latencyMs, message: detail ? `Connected (${detail})` : 'Connected' };
    } catch (e) {
      return { ok: false, latencyMs: null, message: message(e) };
    }
  }

  return {
    queries: { 'connections.get': () => view() },
    commands: {
      async 'connections.saveSap'(req) {
        const previous = deps.settings().sap;
        // A different server means a different certificate: never carry a pin over to another address.
        const pinnedCertificate = previous && previous.baseUrl === req.connection.baseUrl ? previous.pinnedCertificate : null;
        await ports.settings.update({ sap: { ...req.connection, pinnedCertificate } });
        if (req.password) {
          await ports.secrets.set('sap.password', req.password);
          // The flows' session was opened with the old password: sign in again with the new one (or fail now, if it is wrong).
          connections.reset?.('sap');
        }
        ports.logger.info('SAP connection saved', { actor: req.actor, baseUrl: req.connection.baseUrl, passwordChanged: Boolean(req.password) });
        return view();
      },
      async 'connections.inspectSapCertificate'() {
        const { host, port } = sapAddress();
        try {
          const { pem: _pem, ...shown } = await fetchPresentedCertificate(host, port);
          return shown;
        } catch (e) {
          throw new ContractError('failed', `Could not read the certificate of ${host}:${port}: ${message(e)}`);
        }
      },
      async 'connections.trustSapCertificate'(req) {
        const { host, port } = sapAddress();
        // Read it again and trust it only if it is still the one the operator compared.
        const presented = await fetchPresentedCertificate(host, port);
        if (presented.sha256 !== req.sha256) {
          throw new ContractError('failed', `SAP now presents a different certificate (${presented.sha256}) from the one you checked: inspect it again`);
        }
        const sap = deps.settings().sap!;
        await ports.settings.update({ sap: { ...sap, pinnedCertificate: { sha256: presented.sha256, pem: presented.pem } } });
        ports.logger.info('SAP certificate trusted', { actor: req.actor, sha256: presented.sha256, subject: presented.subject });
        return view();
      },
      async 'connections.forgetSapCertificate'(req) {
        const sap = deps.settings().sap;
        if (sap) await ports.settings.update({ sap: { ...sap, pinnedCertificate: null } });
        ports.logger.info('SAP certificate pin removed', { actor: req.actor });
        return view();
      },
      async 'connections.testSap'(req) {
        const saved = deps.settings().sap;
        const connection = req.connection ?? saved;
        if (!connection) return { ok: false, latencyMs: null, message: 'No SAP connection is set up' };
        // A fresh session signed in with what was typed: an open session of the flows would say "Connected" to any password.
        // The certificate trusted for the saved address only; another address has to be trusted first.
        const pinnedCertificate = saved && saved.baseUrl === connection.baseUrl ? saved.pinnedCertificate : null;
        const typed = req.password;
        if (!connections.sapForTest) throw new ContractError('failed', 'This engine cannot test a SAP connection');
        const probe = connections.sapForTest({ ...connection, pinnedCertificate }, async () => typed ?? (await ports.secrets.get('sap.password')));
        try {
          return await timed(() => sapProbe(probe, ports.clock).check());
        } finally {
          await probe.logout();
        }
      },
      async 'connections.saveMarketplace'(req) {
        await ports.settings.update({ marketplace: req.connection });
        if (req.apiKey) await ports.secrets.set('marketplace.apiKey', req.apiKey);
        ports.logger.info('Marketplace connection saved', { actor: req.actor, baseUrl: req.connection.baseUrl, apiKeyChanged: Boolean(req.apiKey) });
        return view();
      },
      async 'connections.testMarketplace'() {
        const marketplace = connections.marketplace();
        if (!marketplace) return { ok: false, latencyMs: null, message: 'No marketplace connection is set up', shop: null };
        const result = await timed(() => marketplaceProbe(marketplace).check());
        if (!result.ok) return { ...result, shop: null };
        try {
          // A01 may be read once a day: a second test within the day answers from the profile kept in the ledger, and says when it was read.
          const [shop, platform] = await Promise.all([marketplace.shop.info(), marketplace.shop.platformConfig()]);
          return {
            ...result,
            shop: {
              shopId: shop.shopId,
              shopName: shop.shopName,
              model: shop.modelCode ?? shop.model,
              currency: shop.currency,
              taxMode: platform.taxMode,
              orderAcceptance: platform.orderAcceptance,
              multiShipment: platform.multiShipment,
              alternativeCarriersDisabled: platform.alternativeCarriersDisabled,
              returnsEnabled: platform.returnsEnabled,
              readAt: shop.readAt ?? null,
            },
          };
        } catch (e) {
          return { ok: false, latencyMs: result.latencyMs, message: `The marketplace answers, but the shop could not be read: ${message(e)}`, shop: null };
        }
      },
    },
  };
}
