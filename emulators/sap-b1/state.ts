import { METADATA_NAMES } from './metadata/names';
import type { SlVersion } from './errors';

export type Entity = Record<string, unknown>;
export type YesNo = 'tYES' | 'tNO';

export interface WarehouseInfo extends Entity {
  WarehouseCode: string;
  InStock: number;
  Committed: number;
  Ordered: number;
}

export interface ItemRecord extends Entity {
  ItemCode: string;
  ItemName: string;
  ManageBatchNumbers: YesNo;
  ManageSerialNumbers: YesNo;
  Valid: YesNo;
  Frozen: YesNo;
  ItemWarehouseInfoCollection: WarehouseInfo[];
}

export const DOCUMENT_SETS = ['Orders', 'DeliveryNotes', 'Returns', 'CreditNotes', 'Invoices', 'PurchaseInvoices'] as const;
export type DocumentSet = (typeof DOCUMENT_SETS)[number];
/** The purchasing documents: their business partner is a supplier, their VAT groups input groups. */
export const PURCHASE_SETS: ReadonlySet<DocumentSet> = new Set(['PurchaseInvoices']);
/** B1 object type of each document set: what BaseType on a copied line refers to. */
export const OBJECT_TYPE: Record<DocumentSet, number> = { Invoices: 13, CreditNotes: 14, DeliveryNotes: 15, Returns: 16, Orders: 17, PurchaseInvoices: 18 };
export const DOC_OBJECT_CODE: Record<DocumentSet, string> = {
  Invoices: 'oInvoices',
  CreditNotes: 'oCreditNotes',
  DeliveryNotes: 'oDeliveryNotes',
  Returns: 'oReturns',
  Orders: 'oOrders',
  PurchaseInvoices: 'oPurchaseInvoices',
};

/**
 * The marketing documents' header and line tables this emulator serves. B1 adds a user-defined field on one of them
 * to all of them ("When you add a user-defined field to the marketing documents object, the new field is added to
 * all logistics document types", SAP's UDF training, 92 Impl 14 CustomTools UserDefinedFields): UserFieldsMD lists it
 * on each, and adding it again on another is refused.
 */
const MARKETING_TABLES = [
  ['ORDR', 'ODLN', 'ORDN', 'OINV', 'ORIN', 'OPCH'],
  ['RDR1', 'DLN1', 'RDN1', 'INV1', 'RIN1', 'PCH1'],
];

/** UDF tables (UserFieldsMD.TableName) → the entity type their U_ fields appear on. */
const UDF_TABLE_TYPE: Record<string, string> = {
  ORDR: 'Document',
  ODLN: 'Document',
  OINV: 'Document',
  ORIN: 'Document',
  ORDN: 'Document',
  OPCH: 'Document',
  RDR1: 'DocumentLine',
  DLN1: 'DocumentLine',
  INV1: 'DocumentLine',
  RIN1: 'DocumentLine',
  RDN1: 'DocumentLine',
  PCH1: 'DocumentLine',
  OITM: 'Item',
  OCRD: 'BusinessPartner',
  ORCT: 'Payment',
  OWHS: 'Warehouse',
};

/** A user-defined table (UserTablesMD); SAP serves its rows as the entity set `U_<TableName>`, keyed by `Code`. */
export interface UserTable {
  TableName: string;
  TableDescription: string;
  TableType: string;
  rows: Map<string, Entity>;
}

/** The entity set (and type) name SAP gives a user-defined table's rows. */
export const userTableSet = (tableName: string) => `U_${tableName}`;

export interface Session {
  id: string;
  user: string;
  lastUsed: number;
}

export interface RecordedCall {
  at: number;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  /** Which session cookies came with the request; never their values. */
  cookies: { B1SESSION: boolean; ROUTEID: boolean };
}

/**
 * The emulated company database. Every mutation goes through a helper that records how to undo it, so a
 * $batch change set can roll back as SAP's does.
 */
export class EmulatorState {
  items = new Map<string, ItemRecord>();
  /** Item codes in insertion order; the stock query pages through this without building rows it does not return. */
  itemOrder: string[] = [];
  warehouses = new Map<string, Entity>();
  businessPartners = new Map<string, Entity>();
  shippingTypes = new Map<number, Entity>();
  vatGroups = new Map<string, Entity>();
  userFields: Entity[] = [];
  sqlQueries = new Map<string, Entity>();
  /** User-defined tables by TableName (without the @ SAP shows in UserFieldsMD). */
  userTables = new Map<string, UserTable>();
  currencies = new Map<string, Entity>();
  /** CompanyService_GetAdminInfo: local and system currency, and the decimal places SAP rounds prices and totals to. */
  adminInfo: Entity = { LocalCurrency: 'GBP', SystemCurrency: 'GBP', PriceAccuracy: 6, TotalsAccuracy: 2 };
  payments = new Map<number, Entity>();
  /** The chart of accounts (OACT) by account code. */
  accounts = new Map<string, Entity>();
  documents: Record<DocumentSet, Map<number, Entity>> = {
    Orders: new Map(),
    DeliveryNotes: new Map(),
    Returns: new Map(),
    CreditNotes: new Map(),
    Invoices: new Map(),
    PurchaseInvoices: new Map(),
  };
  nextDocEntry: Record<DocumentSet | 'IncomingPayments', number> = {
    Orders: 1,
    DeliveryNotes: 1,
    Returns: 1,
    CreditNotes: 1,
    Invoices: 1,
    PurchaseInvoices: 1,
    IncomingPayments: 1,
  };
  /** Batch quantities per item and warehouse: `${ItemCode}|${WarehouseCode}` → batch → quantity. */
  batches = new Map<string, Map<string, number>>();
  /** Serial numbers in stock per item and warehouse. */
  serials = new Map<string, Set<string>>();
  /**
   * What Returns and Credit Memos took back of each line that sent goods out (`<object type>:<DocEntry>:<LineNum>`):
   * batch → quantity, serial → 1. A batch or serial cannot come back twice.
   */
  private takenBackByLine = new Map<string, Map<string, number>>();
  sessions = new Map<string, Session>();
  calls: RecordedCall[] = [];
  /**
   * Whether entity sets that SAP versions (from 10.0 FP 2102) answer with ETags and check If-Match. Off
   * emulates an older Service Layer, which sends no ETag and ignores If-Match.
   */
  etags = true;
  sqlQueryAccess: SqlQueryAccess = 'available';
  /** Write count per entity, part of its ETag: a write that changes no value still gives a new ETag, as in SAP. */
  private versions = new WeakMap<object, number>();
  private journal: (() => void)[] | null = null;

  constructor(
    readonly company: string,
    readonly now: () => number,
  ) {}

  // ---- metadata -------------------------------------------------------------------------------------------

  private propertyCache = new Map<string, Map<string, string>>();

  /** Property name → EDM type for a type, as SAP's metadata has it, plus the company's UDFs. */
  properties(version: SlVersion, typeName: string): Map<string, string> {
    const cacheKey = `${version}:${typeName}`;
    const cached = this.propertyCache.get(cacheKey);
    if (cached) return cached;
    const types = METADATA_NAMES[version].types as Record<string, Record<string, string>>;
    // A user-defined table's rows have Code and Name, then the fields added to it ('@TABLE' in UserFieldsMD).
    const userTable = typeName.startsWith('U_') && this.userTables.has(typeName.slice(2));
    const map = new Map(Object.entries(userTable ? { Code: 'Edm.String', Name: 'Edm.String' } : (types[typeName] ?? {})));
    for (const f of this.userFields) {
      const table = String(f.TableName);
      const type = table.startsWith('@') ? userTableSet(table.slice(1)) : UDF_TABLE_TYPE[table];
      if (type === typeName) map.set(`U_${String(f.Name)}`, 'Edm.String');
    }
    this.propertyCache.set(cacheKey, map);
    return map;
  }

  /** Registers a UDF (on every marketing document table when it is on one, as B1 does), each with its own FieldID. */
  addUserField(field: Entity) {
    const table = String(field.TableName);
    for (const t of MARKETING_TABLES.find((group) => group.includes(table)) ?? [table]) {
      this.userFields.push({ ...field, TableName: t, FieldID: this.userFields.filter((f) => f.TableName === t).length });
    }
    this.propertyCache.clear();
  }

  addUserTable(table: UserTable) {
    this.userTables.set(table.TableName, table);
    this.propertyCache.clear();
  }

  // ---- transactions ---------------------------------------------------------------------------------------

  /** Runs fn atomically: if it throws, every recorded mutation is undone in reverse order. */
  atomically<T>(fn: () => T): T {
    const outer = this.journal;
    const journal: (() => void)[] = [];
    this.journal = journal;
    try {
      const result = fn();
      if (outer) outer.push(...journal);
      return result;
    } catch (e) {
      for (let i = journal.length - 1; i >= 0; i--) journal[i]!();
      throw e;
    } finally {
      this.journal = outer;
    }
  }

  private record(undo: () => void) {
    this.journal?.push(undo);
  }

  /** Sets obj[key] = value, remembering the old value. */
  assign<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]) {
    const had = Object.prototype.hasOwnProperty.call(obj, key);
    const old = obj[key];
    obj[key] = value;
    this.record(() => {
      if (had) obj[key] = old;
      else delete obj[key];
    });
  }

  mapSet<K, V>(map: Map<K, V>, key: K, value: V) {
    const had = map.has(key);
    const old = map.get(key);
    map.set(key, value);
    this.record(() => (had ? map.set(key, old as V) : map.delete(key)));
  }

  /** Marks a write to an entity (a new ETag); undone with the rest of a failed change set. */
  touch(entity: object) {
    const old = this.versions.get(entity) ?? 0;
    this.versions.set(entity, old + 1);
    this.record(() => this.versions.set(entity, old));
  }

  version(entity: object): number {
    return this.versions.get(entity) ?? 0;
  }

  counter(set: keyof EmulatorState['nextDocEntry']): number {
    const n = this.nextDocEntry[set];
    this.assign(this.nextDocEntry, set, n + 1);
    return n;
  }

  // ---- stock ----------------------------------------------------------------------------------------------

  warehouseInfo(item: ItemRecord, warehouseCode: string): WarehouseInfo | undefined {
    return item.ItemWarehouseInfoCollection.find((w) => w.WarehouseCode === warehouseCode);
  }

  adjust(item: ItemRecord, warehouseCode: string, field: 'InStock' | 'Committed' | 'Ordered', delta: number) {
    const info = this.warehouseInfo(item, warehouseCode);
    if (!info) return;
    this.assign(info, field, round(info[field] + delta));
  }

  batchMap(itemCode: string, warehouseCode: string): Map<string, number> {
    const key = `${itemCode}|${warehouseCode}`;
    let m = this.batches.get(key);
    if (!m) {
      m = new Map();
      this.batches.set(key, m);
    }
    return m;
  }

  serialSet(itemCode: string, warehouseCode: string): Set<string> {
    const key = `${itemCode}|${warehouseCode}`;
    let s = this.serials.get(key);
    if (!s) {
      s = new Set();
      this.serials.set(key, s);
    }
    return s;
  }

  takenBack(lineKey: string): Map<string, number> {
    let m = this.takenBackByLine.get(lineKey);
    if (!m) {
      m = new Map();
      this.mapSet(this.takenBackByLine, lineKey, m);
    }
    return m;
  }

  adjustBatch(itemCode: string, warehouseCode: string, batch: string, delta: number) {
    const m = this.batchMap(itemCode, warehouseCode);
    this.mapSet(m, batch, round((m.get(batch) ?? 0) + delta));
  }

  moveSerial(itemCode: string, warehouseCode: string, serial: string, inStock: boolean) {
    const s = this.serialSet(itemCode, warehouseCode);
    const had = s.has(serial);
    if (inStock) s.add(serial);
    else s.delete(serial);
    this.record(() => (had ? s.add(serial) : s.delete(serial)));
  }

  addItem(item: ItemRecord) {
    if (!this.items.has(item.ItemCode)) {
      this.itemOrder.push(item.ItemCode);
      this.record(() => this.itemOrder.pop());
    }
    this.mapSet(this.items, item.ItemCode, item);
  }

  recordCall(call: RecordedCall) {
    this.calls.push(call);
    // A bounded log: a benchmark's thousands of calls must not grow memory without end.
    if (this.calls.length > 20_000) this.calls.splice(0, this.calls.length - 10_000);
  }
}

/** Quantities and amounts are stored to 6 decimals, like B1's Quantity/Amount columns. */
export function round(n: number, places = 6): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}

/**
 * What SQLQueries does on this Service Layer: `available` (10.0 FP 2011+), `absent` (older: the entity set does not
 * exist) or `not-permitted` (the user or company may not create or run SQL queries).
 */
export type SqlQueryAccess = 'available' | 'absent' | 'not-permitted';
export const SQL_QUERY_ACCESS: readonly SqlQueryAccess[] = ['available', 'absent', 'not-permitted'];
