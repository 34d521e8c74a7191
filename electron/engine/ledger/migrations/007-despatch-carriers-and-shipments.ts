import type { Migration } from './index';

/**
 * Despatch, second step: a carrier mapping may send an SAP carrier as a carrier the marketplace list does not have
 * (by name, with a tracking URL template) where the shop accepts those; a despatch records the named carrier it was
 * sent with; and with multi-shipment, each Delivery Note of a partly delivered order is one marketplace shipment,
 * recorded before it is sent (its intent) and after (its shipment id), so a lost answer is looked up, never resent blind.
 */
export const m007DespatchCarriersAndShipments: Migration = {
  version: 7,
  name: 'despatch-carriers-and-shipments',
  sql: `
CREATE TABLE carrier_mappings_new (
  sap_carrier TEXT PRIMARY KEY,
  -- A carrier on the marketplace list, by its code; or one it does not have, by name with a tracking URL template.
  carrier_code TEXT,
  carrier_name TEXT,
  tracking_url TEXT,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((carrier_code IS NULL) <> (carrier_name IS NULL))
);
INSERT INTO carrier_mappings_new (sap_carrier, carrier_code, updated_by, updated_at) SELECT sap_carrier, carrier_code, updated_by, updated_at FROM carrier_mappings;
DROP TABLE carrier_mappings;
ALTER TABLE carrier_mappings_new RENAME TO carrier_mappings;

ALTER TABLE despatches ADD COLUMN carrier_name TEXT;

CREATE TABLE despatch_shipments (
  order_id TEXT NOT NULL,
  doc_entry INTEGER NOT NULL,
  -- sending: the intent (ST01 sent, answer not yet known); created: the marketplace holds it; shipped: it left (ST24);
  -- refused: the marketplace refused it (error below), sent again only after a person acts.
  state TEXT NOT NULL CHECK (state IN ('sending','created','shipped','refused')),
  shipment_id TEXT,
  -- [{ orderLineId, quantity }]
  lines TEXT NOT NULL,
  carrier_code TEXT,
  carrier_name TEXT,
  tracking_number TEXT,
  error TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (order_id, doc_entry)
);
`,
};
