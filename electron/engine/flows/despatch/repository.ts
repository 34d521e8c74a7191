import type { Db } from '../../ledger/db';
import { Bindings, orderRef } from '../../ledger/bindings';
import { Timeline, type TimelineSource } from '../../ledger/timeline';
import type { DespatchState } from '../../../../shared/domain/despatch';

export interface DeliveryRow {
  docEntry: number;
  orderId: string;
  salesOrderEntry: number;
  docNum: number | null;
  sapCarrier: string | null;
  trackingNumber: string | null;
  updateStamp: string;
  firstSeenAt: string;
}

export interface DespatchRow {
  orderId: string;
  /** The customer's order number, as the orders flow posted it (shown and searched). */
  numAtCard: string | null;
  salesOrderEntry: number;
  deliveryEntry: number;
  state: DespatchState;
  correctedCarrierCode: string | null;
  correctedTracking: string | null;
  writeBack: boolean;
  carrierCode: string | null;
  /** A named carrier (not on the marketplace list) the despatch was sent with. */
  carrierName: string | null;
  sentTracking: string | null;
  deliveredAt: string | null;
  confirmedAt: string | null;
  updatedAt: string;
}

/** What an SAP carrier is sent as: a carrier on the marketplace list (its code), or one it does not have (by name). */
export type CarrierTarget = { carrierCode: string } | { carrierName: string; trackingUrl: string | null };

export interface CarrierMapping {
  sapCarrier: string;
  carrierCode: string | null;
  carrierName: string | null;
  /** For a named carrier: the tracking page, `{trackingId}` where the number goes. */
  trackingUrl: string | null;
  updatedBy: string;
  updatedAt: string;
}

/** One Delivery Note of a partly delivered order, as a marketplace shipment (multi-shipment). */
export interface ShipmentRow {
  orderId: string;
  docEntry: number;
  state: 'sending' | 'created' | 'shipped' | 'refused';
  shipmentId: string | null;
  lines: { orderLineId: string; quantity: number }[];
  carrierCode: string | null;
  carrierName: string | null;
  trackingNumber: string | null;
  error: string | null;
  updatedAt: string;
}

/** How a mapping reads in the console and on the timeline. */
export const targetLabel = (m: { carrierCode: string | null; carrierName?: string | null }): string =>
  m.carrierCode ?? `${m.carrierName ?? '?'} (named carrier)`;

const DESPATCH_COLUMNS = `order_id AS orderId, num_at_card AS numAtCard, sales_order_entry AS salesOrderEntry, delivery_entry AS deliveryEntry, state,
  corrected_carrier_code AS correctedCarrierCode, corrected_tracking AS correctedTracking, write_back AS writeBack, carrier_code AS carrierCode,
  carrier_name AS carrierName, sent_tracking AS sentTracking, delivered_at AS deliveredAt, confirmed_at AS confirmedAt, updated_at AS updatedAt`;
const MAPPING_COLUMNS =
  'sap_carrier AS sapCarrier, carrier_code AS carrierCode, carrier_name AS carrierName, tracking_url AS trackingUrl, updated_by AS updatedBy, updated_at AS updatedAt';
const SHIPMENT_COLUMNS = `order_id AS orderId, doc_entry AS docEntry, state, shipment_id AS shipmentId, lines, carrier_code AS carrierCode, carrier_name AS carrierName,
  tracking_number AS trackingNumber, error, updated_at AS updatedAt`;
const toShipmentRow = (r: (Omit<ShipmentRow, 'lines'> & { lines: string }) | undefined): ShipmentRow | null =>
  r ? { ...r, lines: JSON.parse(r.lines) as ShipmentRow['lines'] } : null;
const DELIVERY_COLUMNS = `doc_entry AS docEntry, order_id AS orderId, sales_order_entry AS salesOrderEntry, doc_num AS docNum, sap_carrier AS sapCarrier,
  tracking_number AS trackingNumber, update_stamp AS updateStamp, first_seen_at AS firstSeenAt`;

const toDespatch = (r: (Omit<DespatchRow, 'writeBack'> & { writeBack: number }) | undefined): DespatchRow | null =>
  r ? { ...r, writeBack: r.writeBack === 1 } : null;

/**
 * The despatch flow's ledger tables, in short statements; the flow moves each despatch forward one step at a time.
 * Each Delivery Note read is also bound to its order, and events go on the order's timeline, both shared.
 */
export class DespatchRepository {
  private readonly bindings: Bindings;
  private readonly timeline: Timeline;
  constructor(private readonly db: Db) {
    this.bindings = new Bindings(db);
    this.timeline = new Timeline(db);
  }

  delivery(docEntry: number, orderId: string): DeliveryRow | null {
    return (
      (this.db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM despatch_deliveries WHERE doc_entry = ? AND order_id = ?`).get(docEntry, orderId) as
        DeliveryRow | undefined) ?? null
    );
  }

  deliveries(orderId: string): DeliveryRow[] {
    return this.db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM despatch_deliveries WHERE order_id = ? ORDER BY doc_entry`).all(orderId) as DeliveryRow[];
  }

  /** Records a Delivery Note as read and makes it the order's despatch's latest delivery, in one transaction. */
  recordDelivery(d: Omit<DeliveryRow, 'firstSeenAt'>, numAtCard: string | null, at: Date): { despatch: DespatchRow; created: boolean } {
    const now = at.toISOString();
    return this.db.transaction(() => {
      this.bindings.bind(
        orderRef(d.orderId),
        { system: 'sap-b1', entity: 'delivery-note', id: String(d.docEntry), label: d.docNum === null ? null : String(d.docNum) },
        at,
      );
      this.db
        .prepare(
          `INSERT INTO despatch_deliveries (doc_entry, order_id, sales_order_entry, doc_num, sap_carrier, tracking_number, update_stamp, first_seen_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (doc_entry, order_id) DO UPDATE SET sap_carrier = excluded.sap_carrier, tracking_number = excluded.tracking_number,
             update_stamp = excluded.update_stamp, doc_num = excluded.doc_num, updated_at = excluded.updated_at`,
        )
        .run(d.docEntry, d.orderId, d.salesOrderEntry, d.docNum, d.sapCarrier, d.trackingNumber, d.updateStamp, now, now);
      const existing = this.get(d.orderId);
      if (!existing) {
        this.db
          .prepare("INSERT INTO despatches (order_id, sales_order_entry, delivery_entry, num_at_card, state, updated_at) VALUES (?, ?, ?, ?, 'ready', ?)")
          .run(d.orderId, d.salesOrderEntry, d.docEntry, numAtCard, now);
        return { despatch: this.get(d.orderId)!, created: true };
      }
      if (existing.state !== 'confirmed') {
        // New facts from SAP: whatever held the despatch up is looked at again.
        this.db
          .prepare("UPDATE despatches SET delivery_entry = max(delivery_entry, ?), state = 'ready', updated_at = ? WHERE order_id = ?")
          .run(d.docEntry, now, d.orderId);
      }
      return { despatch: this.get(d.orderId)!, created: false };
    })();
  }

  get(orderId: string): DespatchRow | null {
    return toDespatch(this.db.prepare(`SELECT ${DESPATCH_COLUMNS} FROM despatches WHERE order_id = ?`).get(orderId) as never);
  }

  inStates(states: readonly DespatchState[], limit = 500): DespatchRow[] {
    return (
      this.db
        .prepare(`SELECT ${DESPATCH_COLUMNS} FROM despatches WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY updated_at LIMIT ?`)
        .all(...states, limit) as never[]
    ).map((r) => toDespatch(r)!);
  }

  setState(
    orderId: string,
    state: DespatchState,
    at: Date,
    extra: { deliveredAt?: string; carrierCode?: string | null; carrierName?: string | null; sentTracking?: string } = {},
  ): void {
    // What was sent: a code or a name, never both (a despatch sent by code after a named one keeps only the code).
    const sentWith = extra.carrierCode !== undefined || extra.carrierName !== undefined;
    this.db
      .prepare(
        `UPDATE despatches SET state = ?, updated_at = ?, delivered_at = coalesce(delivered_at, ?),
         carrier_code = CASE WHEN ? THEN ? ELSE carrier_code END, carrier_name = CASE WHEN ? THEN ? ELSE carrier_name END,
         sent_tracking = coalesce(?, sent_tracking), confirmed_at = CASE WHEN ? = 'confirmed' THEN coalesce(confirmed_at, ?) ELSE confirmed_at END WHERE order_id = ?`,
      )
      .run(
        state,
        at.toISOString(),
        extra.deliveredAt ?? null,
        sentWith ? 1 : 0,
        extra.carrierCode ?? null,
        sentWith ? 1 : 0,
        extra.carrierName ?? null,
        extra.sentTracking ?? null,
        state,
        at.toISOString(),
        orderId,
      );
  }

  correct(orderId: string, c: { carrierCode: string; trackingNumber: string; writeBack: boolean }, at: Date): void {
    this.db
      .prepare("UPDATE despatches SET corrected_carrier_code = ?, corrected_tracking = ?, write_back = ?, state = 'ready', updated_at = ? WHERE order_id = ?")
      .run(c.carrierCode, c.trackingNumber, c.writeBack ? 1 : 0, at.toISOString(), orderId);
  }

  writtenBack(orderId: string, at: Date): void {
    this.db.prepare('UPDATE despatches SET write_back = 0, updated_at = ? WHERE order_id = ?').run(at.toISOString(), orderId);
  }

  list(filter: { state?: DespatchState; search?: string; deliveredFrom?: string; deliveredBefore?: string; limit: number; offset: number }): {
    rows: DespatchRow[];
    total: number;
  } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.deliveredFrom) {
      where.push('julianday(d.delivered_at) >= julianday(?)');
      args.push(filter.deliveredFrom);
    }
    if (filter.deliveredBefore) {
      where.push('julianday(d.delivered_at) < julianday(?)');
      args.push(filter.deliveredBefore);
    }
    if (filter.state) {
      where.push('d.state = ?');
      args.push(filter.state);
    }
    if (filter.search) {
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        `(d.order_id LIKE ? ESCAPE '\\' OR d.num_at_card LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM despatch_deliveries x WHERE x.order_id = d.order_id AND (x.tracking_number LIKE ? ESCAPE '\\' OR CAST(x.doc_num AS TEXT) LIKE ? ESCAPE '\\')))`,
      );
      args.push(like, like, like, like);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const from = 'FROM despatches d';
    const total = this.db
      .prepare(`SELECT count(*) ${from} ${clause}`)
      .pluck()
      .get(...args) as number;
    const cols = DESPATCH_COLUMNS.split(',')
      .map((c) => `d.${c.trim()}`)
      .join(', ');
    const rows = this.db
      .prepare(`SELECT ${cols} ${from} ${clause} ORDER BY (d.state = 'confirmed'), d.updated_at DESC LIMIT ? OFFSET ?`)
      .all(...args, filter.limit, filter.offset) as never[];
    return { rows: rows.map((r) => toDespatch(r)!), total };
  }

  countByState(): Record<string, number> {
    const rows = this.db.prepare('SELECT state, count(*) AS n FROM despatches GROUP BY state').all() as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  mapping(sapCarrier: string): CarrierMapping | null {
    return (this.db.prepare(`SELECT ${MAPPING_COLUMNS} FROM carrier_mappings WHERE sap_carrier = ?`).get(sapCarrier) as CarrierMapping | undefined) ?? null;
  }

  mappings(): CarrierMapping[] {
    return this.db.prepare(`SELECT ${MAPPING_COLUMNS} FROM carrier_mappings ORDER BY sap_carrier`).all() as CarrierMapping[];
  }

  saveMapping(sapCarrier: string, target: CarrierTarget, by: string, at: Date): { before: string | null } {
    const current = this.mapping(sapCarrier);
    const code = 'carrierCode' in target ? target.carrierCode : null;
    const named = 'carrierName' in target ? target : null;
    this.db
      .prepare(
        `INSERT INTO carrier_mappings (sap_carrier, carrier_code, carrier_name, tracking_url, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (sap_carrier) DO UPDATE SET carrier_code = excluded.carrier_code, carrier_name = excluded.carrier_name, tracking_url = excluded.tracking_url,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(sapCarrier, code, named?.carrierName ?? null, named?.trackingUrl ?? null, by, at.toISOString());
    return { before: current ? targetLabel(current) : null };
  }

  /** SAP carriers seen on Delivery Notes, mapped or not. */
  seenCarriers(): string[] {
    return this.db.prepare('SELECT DISTINCT sap_carrier FROM despatch_deliveries WHERE sap_carrier IS NOT NULL ORDER BY sap_carrier').pluck().all() as string[];
  }

  /** Despatches whose latest delivery has this SAP carrier and are not confirmed. */
  unconfirmedWithCarrier(sapCarrier: string): string[] {
    return this.db
      .prepare(
        "SELECT d.order_id FROM despatches d JOIN despatch_deliveries x ON x.doc_entry = d.delivery_entry AND x.order_id = d.order_id WHERE d.state != 'confirmed' AND x.sap_carrier = ?",
      )
      .pluck()
      .all(sapCarrier) as string[];
  }

  shipments(orderId: string): ShipmentRow[] {
    return (this.db.prepare(`SELECT ${SHIPMENT_COLUMNS} FROM despatch_shipments WHERE order_id = ? ORDER BY doc_entry`).all(orderId) as never[]).map((r) =>
      toShipmentRow(r)!,
    );
  }

  shipment(orderId: string, docEntry: number): ShipmentRow | null {
    return toShipmentRow(
      this.db.prepare(`SELECT ${SHIPMENT_COLUMNS} FROM despatch_shipments WHERE order_id = ? AND doc_entry = ?`).get(orderId, docEntry) as never,
    );
  }

  shipmentsById(shipmentId: string): ShipmentRow[] {
    return (this.db.prepare(`SELECT ${SHIPMENT_COLUMNS} FROM despatch_shipments WHERE shipment_id = ?`).all(shipmentId) as never[]).map((r) =>
      toShipmentRow(r)!,
    );
  }

  /** Records a shipment's state (the intent before ST01, then what the marketplace answered). */
  saveShipment(row: Omit<ShipmentRow, 'updatedAt'>, at: Date): void {
    this.db
      .prepare(
        `INSERT INTO despatch_shipments (order_id, doc_entry, state, shipment_id, lines, carrier_code, carrier_name, tracking_number, error, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (order_id, doc_entry) DO UPDATE SET state = excluded.state, shipment_id = excluded.shipment_id, lines = excluded.lines,
           carrier_code = excluded.carrier_code, carrier_name = excluded.carrier_name, tracking_number = excluded.tracking_number, error = excluded.error,
           updated_at = excluded.updated_at`,
      )
      .run(
        row.orderId,
        row.docEntry,
        row.state,
        row.shipmentId,
        JSON.stringify(row.lines),
        row.carrierCode,
        row.carrierName,
        row.trackingNumber,
        row.error,
        at.toISOString(),
      );
  }

  getState(key: string): string | null {
    return (this.db.prepare('SELECT value FROM despatch_state WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  setStateValue(key: string, value: string): void {
    this.db.prepare('INSERT INTO despatch_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Adds to the order's timeline, so the order detail shows the despatch. */
  event(orderId: string, source: TimelineSource, summary: string, at: Date, detail: unknown = null): void {
    this.timeline.add(orderRef(orderId), source, summary, at, detail);
  }
}
