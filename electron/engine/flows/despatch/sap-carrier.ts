import type { SapConnector, SapDocument } from '../../connectors/sap-b1';
import type { DespatchSettings } from '../../../../shared/domain/despatch';

/**
 * The SAP carrier of a Delivery Note, as the business records it: the shipping type's name (TransportationCode
 * → ShippingTypes), or the text of a user-defined field named in settings. Null when SAP has none.
 */
export function sapCarrierReader(sap: SapConnector, settings: DespatchSettings) {
  let names: Promise<Map<number, string>> | undefined;
  const shippingTypes = () => (names ??= sap.shippingTypes().then((rows) => new Map(rows.map((r) => [r.Code, r.Name]))));
  return async (doc: SapDocument): Promise<string | null> => {
    if (settings.carrierSource.from === 'udf') {
      const value = doc.raw[`U_${settings.carrierSource.name}`];
      return typeof value === 'string' && value.trim() ? value.trim() : null;
    }
    if (doc.TransportationCode === null || doc.TransportationCode < 0) return null;
    // A code SAP no longer lists still names a carrier: keep it visible as its number rather than dropping it.
    return (await shippingTypes()).get(doc.TransportationCode) ?? `Shipping type ${doc.TransportationCode}`;
  };
}
