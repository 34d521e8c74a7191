import type { Sap, SalesDocument } from '../../connectors/ports/sap';
import type { DespatchSettings } from '../../../../shared/domain/despatch';

/**
 * The SAP carrier of a Delivery Note, as the business records it: the shipping type's name, or the text of the
 * carrier field named in settings. Null when SAP has none.
 */
export function sapCarrierReader(sap: Sap, settings: DespatchSettings) {
  let names: Promise<Map<number, string>> | undefined;
  const shippingTypes = () => (names ??= sap.company.shippingTypes().then((rows) => new Map(rows.map((r) => [r.code, r.name]))));
  return async (doc: SalesDocument): Promise<string | null> => {
    if (settings.carrierSource.from === 'udf') return doc.carrierFieldValue?.trim() || null;
    if (doc.shippingType === null) return null;
    // A code SAP no longer lists still names a carrier: keep it visible as its number rather than dropping it.
    return (await shippingTypes()).get(doc.shippingType) ?? `Shipping type ${doc.shippingType}`;
  };
}
