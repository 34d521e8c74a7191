import type { Db } from './db';

/** A record of ours, as exceptions and the timeline name it: a marketplace order by its id, an offer by its SKU. */
export interface RecordRef {
  type: 'order' | 'sku' | 'return' | 'refund';
  key: string;
}

/** A marketplace order as a record: exceptions, bindings, the timeline and the job queue all name it so. */
export const orderRef = (orderId: string) => ({ type: 'order' as const, key: orderId });
/** A customer's return, by the marketplace's return id. */
export const returnRef = (returnId: string) => ({ type: 'return' as const, key: returnId });
/** A refund on an order line, by the marketplace's refund id. */
export const refundRef = (refundId: string) => ({ type: 'refund' as const, key: refundId });

/** What the record is bound to in the other system. */
export type BoundSystem = 'sap-b1' | 'marketplace';
export type BoundEntity = 'sales-order' | 'delivery-note' | 'item' | 'invoice' | 'credit-memo' | 'payout-line';

export interface External {
  system: BoundSystem;
  entity: BoundEntity;
  /** The other system's key (SAP's DocEntry, an ItemCode, a payout line id), as text. */
  id: string;
  /** What people call it there, when that is not the key (SAP's DocNum). */
  label?: string | null;
}

export interface Binding {
  record: RecordRef;
  system: BoundSystem;
  entity: BoundEntity;
  externalId: string;
  label: string | null;
  boundAt: string;
  /** When a flow last saw the two agree (a re-read, a lookup); the binding itself never moves on its own. */
  syncedAt: string;
}

interface Row {
  record_type: RecordRef['type'];
  record_key: string;
  system: BoundSystem;
  entity: BoundEntity;
  external_id: string;
  label: string | null;
  bound_at: string;
  synced_at: string;
}

const toBinding = (r: Row): Binding => ({
  record: { type: r.record_type, key: r.record_key },
  system: r.system,
  entity: r.entity,
  externalId: r.external_id,
  label: r.label,
  boundAt: r.bound_at,
  syncedAt: r.synced_at,
});

/**
 * "This record here is that record there": a marketplace order and its Sales Order, its Delivery Notes (and next its
 * invoice, credit memos and payout lines); a marketplace SKU and the SAP item it sells. One table for every flow, so
 * a flow finds another's records through a binding and never through the other flow's tables.
 */
export class Bindings {
  constructor(private readonly db: Db) {}

  /** Binds the record to an external one (again: refreshes its label and sync time). */
  bind(record: RecordRef, external: External, at: Date): void {
    this.db
      .prepare(
        `INSERT INTO bindings (record_type, record_key, system, entity, external_id, label, bound_at, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (record_type, record_key, system, entity, external_id) DO UPDATE SET label = coalesce(excluded.label, label), synced_at = excluded.synced_at`,
      )
      .run(record.type, record.key, external.system, external.entity, external.id, external.label ?? null, at.toISOString(), at.toISOString());
  }

  /** Binds the record to this one external record of its kind, replacing any other (a duplicate Sales Order was closed). */
  bindOnly(record: RecordRef, external: External, at: Date): { before: Binding | null } {
    return this.db.transaction(() => {
      const before = this.external(record, external.system, external.entity);
      this.db
        .prepare('DELETE FROM bindings WHERE record_type = ? AND record_key = ? AND system = ? AND entity = ? AND external_id <> ?')
        .run(record.type, record.key, external.system, external.entity, external.id);
      this.bind(record, external, at);
      return { before };
    })();
  }

  /** The record's external records of a kind, oldest binding first. */
  externals(record: RecordRef, system: BoundSystem, entity: BoundEntity): Binding[] {
    const rows = this.db
      .prepare('SELECT * FROM bindings WHERE record_type = ? AND record_key = ? AND system = ? AND entity = ? ORDER BY id')
      .all(record.type, record.key, system, entity) as Row[];
    return rows.map(toBinding);
  }

  /** The record's one external record of a kind (the latest bound, where there could be several). */
  external(record: RecordRef, system: BoundSystem, entity: BoundEntity): Binding | null {
    return this.externals(record, system, entity).at(-1) ?? null;
  }

  /** Which of our records of a type an external record is bound to (a Delivery Note may serve several orders). */
  recordsOf(system: BoundSystem, entity: BoundEntity, externalId: string, type: RecordRef['type']): string[] {
    return this.db
      .prepare('SELECT record_key FROM bindings WHERE system = ? AND entity = ? AND external_id = ? AND record_type = ? ORDER BY id')
      .pluck()
      .all(system, entity, externalId, type) as string[];
  }

  recordOf(system: BoundSystem, entity: BoundEntity, externalId: string, type: RecordRef['type']): string | null {
    return this.recordsOf(system, entity, externalId, type)[0] ?? null;
  }

  // ---- SKU ↔ SAP item: identity unless an operator bound the SKU to another item -------------------------------

  /** The SAP ItemCode a marketplace SKU sells. */
  itemCodeFor(sku: string): string {
    return this.external({ type: 'sku', key: sku }, 'sap-b1', 'item')?.externalId ?? sku;
  }

  /**
   * Binds a SKU to an SAP item, one to one: an item bound from another SKU moves to this one, and binding a SKU to
   * its own code removes the override.
   */
  mapSku(sku: string, itemCode: string, at: Date): { before: string | null } {
    return this.db.transaction(() => {
      const before = this.external({ type: 'sku', key: sku }, 'sap-b1', 'item')?.externalId ?? null;
      this.db
        .prepare("DELETE FROM bindings WHERE system = 'sap-b1' AND entity = 'item' AND record_type = 'sku' AND (record_key = ? OR external_id = ?)")
        .run(sku, itemCode);
      if (itemCode !== sku) this.bind({ type: 'sku', key: sku }, { system: 'sap-b1', entity: 'item', id: itemCode }, at);
      return { before };
    })();
  }

  /** The SKUs an operator bound to another SAP item than their own code, by SKU, a page at a time (a search matches either side). */
  skuMappings(filter: { search?: string; limit: number; offset: number }): { rows: { sku: string; itemCode: string; mappedAt: string }[]; total: number } {
    const like = filter.search ? `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const where = `record_type = 'sku' AND system = 'sap-b1' AND entity = 'item'${like ? " AND (record_key LIKE ? ESCAPE '\\' OR external_id LIKE ? ESCAPE '\\')" : ''}`;
    const args = like ? [like, like] : [];
    const total = this.db
      .prepare(`SELECT count(*) FROM bindings WHERE ${where}`)
      .pluck()
      .get(...args) as number;
    const rows = this.db
      .prepare(`SELECT record_key AS sku, external_id AS itemCode, bound_at AS mappedAt FROM bindings WHERE ${where} ORDER BY record_key LIMIT ? OFFSET ?`)
      .all(...args, filter.limit, filter.offset) as { sku: string; itemCode: string; mappedAt: string }[];
    return { rows, total };
  }

  /** ItemCode → SKU for every SKU bound to another item than its own code. */
  skuOverrides(): Map<string, string> {
    const rows = this.db.prepare("SELECT record_key, external_id FROM bindings WHERE record_type = 'sku' AND system = 'sap-b1' AND entity = 'item'").all() as {
      record_key: string;
      external_id: string;
    }[];
    return new Map(rows.map((r) => [r.external_id, r.record_key]));
  }
}
