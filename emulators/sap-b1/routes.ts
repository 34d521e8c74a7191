import { SlError, alreadyExists, badRequest, business, notFound, notSupported, invalidProperty, type SlVersion } from './errors';
import { queryCollection, parseSelect, render } from './collection';
import { cancelPayment, createDocument, createPayment, documentAction, patchDocument } from './documents';
import { checkIfMatch, etagOf, etagsOn, withEtag } from './etag';
import { createSqlQuery, listSqlQuery } from './sql-queries';
import { DOCUMENT_SETS, type DocumentSet, type EmulatorState, type Entity, type ItemRecord, type UserTable } from './state';
import { validateBody } from './validate';
import { unknownResource } from './errors';
import { checkSqlQueryAccess } from './sql-queries';

export interface SlRequest {
  method: string;
  /** Path below the service root, e.g. `Orders(5)/Close`, already percent-decoded. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
  version: SlVersion;
  /** https://127.0.0.1:port — for Location headers. */
  origin: string;
}

export interface SlResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface MasterSet {
  type: string;
  key: string;
  numericKey?: boolean;
  rows: (s: EmulatorState) => Map<string | number, Entity>;
  create?: (s: EmulatorState, v: SlVersion, body: unknown) => Entity;
  patchable?: boolean;
  /** What SAP shows of a stored row, where it is not the row as stored. */
  view?: (s: EmulatorState, e: Entity) => Entity;
}

/** An item's warehouse rows are OITW's: a warehouse removed from the company has none. */
const itemView = (s: EmulatorState, e: Entity): Entity => {
  const item = e as ItemRecord;
  if (item.ItemWarehouseInfoCollection.every((w) => s.warehouses.has(w.WarehouseCode))) return item;
  return { ...item, ItemWarehouseInfoCollection: item.ItemWarehouseInfoCollection.filter((w) => s.warehouses.has(w.WarehouseCode)) };
};

const MASTER_SETS: Record<string, MasterSet> = {
  Items: { type: 'Item', key: 'ItemCode', rows: (s) => s.items as Map<string, Entity>, create: createItem, patchable: true, view: itemView },
  Warehouses: { type: 'Warehouse', key: 'WarehouseCode', rows: (s) => s.warehouses },
  BusinessPartners: { type: 'BusinessPartner', key: 'CardCode', rows: (s) => s.businessPartners, create: createBusinessPartner, patchable: true },
  ShippingTypes: { type: 'ShippingType', key: 'Code', numericKey: true, rows: (s) => s.shippingTypes, create: createShippingType },
  VatGroups: { type: 'VatGroup', key: 'Code', rows: (s) => s.vatGroups },
  UserFieldsMD: { type: 'UserFieldMD', key: 'FieldID', numericKey: true, rows: (s) => new Map(s.userFields.map((f, i) => [i, f])), create: createUserField },
  SQLQueries: { type: 'SQLQuery', key: 'SqlCode', rows: (s) => s.sqlQueries, create: createSqlQuery },
  IncomingPayments: { type: 'Payment', key: 'DocEntry', numericKey: true, rows: (s) => s.payments, create: createPayment },
  ChartOfAccounts: { type: 'ChartOfAccount', key: 'Code', rows: (s) => s.accounts },
  UserTablesMD: {
    type: 'UserTablesMD',
    key: 'TableName',
    rows: (s) => new Map([...s.userTables].map(([k, t]) => [k, { TableName: t.TableName, TableDescription: t.TableDescription, TableType: t.TableType }])),
    create: createUserTable,
  },
  Currencies: { type: 'Currency', key: 'Code', rows: (s) => s.currencies },
};

/** Parses `Orders(5)`, `Items('A''B')`, `SQLQueries('stock')/List`, `Orders/$count`. */
function parsePath(path: string): { set: string; key?: string | number; action?: string } {
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\((?:'((?:[^']|'')*)'|(-?\d+))\))?(?:\/([$A-Za-z]+))?$/.exec(path);
  if (!m) throw badRequest(`Resource not found for the segment '${path}'`);
  const key = m[2] !== undefined ? m[2].replace(/''/g, "'") : m[3] !== undefined ? Number(m[3]) : undefined;
  return { set: m[1]!, key, action: m[4] };
}

const isDocumentSet = (s: string): s is DocumentSet => (DOCUMENT_SETS as readonly string[]).includes(s);

export function route(state: EmulatorState, req: SlRequest): SlResponse {
  const method = req.method.toUpperCase();
  // A function import: POST in v1 (OData v3), GET with () in v2 (OData v4), as SAP's metadata declares it.
  if (/^CompanyService_GetAdminInfo(\(\))?$/.test(req.path)) {
    if ((req.version === 'v1' && method !== 'POST') || (req.version === 'v2' && method !== 'GET')) throw notSupported();
    return { status: 200, body: render(state, req.version, 'AdminInfo', state.adminInfo) };
  }
  const { set, key, action } = parsePath(req.path);
  const location = (k: string | number) => `${req.origin}/b1s/${req.version}/${set}(${typeof k === 'number' ? k : `'${k.replace(/'/g, "''")}'`})`;
  const versioned = etagsOn(state, set);
  const etagHeader = (entity: Entity): Record<string, string> => (versioned ? { ETag: etagOf(state, entity) } : {});
  const entityBody = (typeName: string, entity: Entity, select?: string[], view?: (e: Entity) => Entity) => {
    const body = render(state, req.version, typeName, view ? view(entity) : entity, select);
    return versioned ? withEtag(req.version, etagOf(state, entity), body) : body;
  };
  const created = (typeName: string, entity: Entity, k: string | number): SlResponse =>
    /return-no-content/.test(req.headers['prefer'] ?? '')
      ? { status: 204, headers: { Location: location(k), 'Preference-Applied': 'return-no-content', ...etagHeader(entity) } }
      : { status: 201, headers: { Location: location(k), ...etagHeader(entity) }, body: entityBody(typeName, entity) };
  const ifMatch = req.headers['if-match'];

  if (isDocumentSet(set)) {
    const docs = state.documents[set];
    if (key === undefined) {
      if (action === '$count' && method === 'GET') return { status: 200, body: docs.size };
      if (action) throw badRequest(`Resource not found for the segment '${action}'`);
      if (method === 'GET') return { status: 200, ...queryCollection(state, { ...req, path: set }, set, 'Document', docs.values()) };
      if (method === 'POST') {
        const doc = createDocument(state, req.version, set, req.body);
        return created('Document', doc, doc.DocEntry as number);
      }
      throw notSupported();
    }
    if (typeof key !== 'number') throw badRequest('Document keys are numbers');
    const existing = docs.get(key);
    if (action) {
      if (method !== 'POST') throw notSupported();
      // Bound actions honour If-Match too (e.g. POST /Orders(8)/Cancel).
      if (existing) checkIfMatch(state, set, existing, ifMatch);
      documentAction(state, set, key, action);
      if (existing) state.touch(existing);
      return { status: 204, headers: existing ? etagHeader(existing) : undefined };
    }
    if (method === 'GET') {
      if (!existing) throw notFound();
      return {
        status: 200,
        headers: etagHeader(existing),
        body: entityBody('Document', existing, parseSelect(state, req.version, 'Document', req.query.get('$select'))),
      };
    }
    if (method === 'PATCH') {
      if (existing) checkIfMatch(state, set, existing, ifMatch);
      patchDocument(state, req.version, set, key, req.body);
      if (existing) state.touch(existing);
      return { status: 204, headers: existing ? etagHeader(existing) : undefined };
    }
    // Documents cannot be deleted in B1: close or cancel them.
    throw notSupported();
  }

  const userTable = set.startsWith('U_') ? state.userTables.get(set.slice(2)) : undefined;
  if (userTable) return userTableRoute(state, req, set, userTable, key, action, method, created);

  const master = MASTER_SETS[set];
  if (!master) throw unknownResource();
  if (set === 'SQLQueries') checkSqlQueryAccess(state);
  const rows = master.rows(state);
  const view = master.view ? (e: Entity) => master.view!(state, e) : undefined;
  if (key === undefined) {
    if (action === '$count' && method === 'GET') return { status: 200, body: rows.size };
    if (action) throw badRequest(`Resource not found for the segment '${action}'`);
    if (method === 'GET') return { status: 200, ...queryCollection(state, { ...req, path: set }, set, master.type, rows.values(), view) };
    if (method === 'POST' && master.create) {
      const entity = master.create(state, req.version, req.body);
      return created(master.type, entity, entity[master.key] as string | number);
    }
    throw notSupported();
  }
  if (Boolean(master.numericKey) !== (typeof key === 'number')) throw notFound();
  if (set === 'SQLQueries' && action === 'List' && (method === 'GET' || method === 'POST')) {
    return { status: 200, body: listSqlQuery(state, { ...req, path: `SQLQueries('${String(key).replace(/'/g, "''")}')/List` }, String(key)) };
  }
  if (set === 'IncomingPayments' && action === 'Cancel' && method === 'POST') {
    cancelPayment(state, key as number);
    return { status: 204 };
  }
  if (action) throw notSupported();
  const entity = rows.get(key);
  if (!entity) throw notFound();
  if (method === 'GET')
    return {
      status: 200,
      headers: etagHeader(entity),
      body: entityBody(master.type, entity, parseSelect(state, req.version, master.type, req.query.get('$select')), view),
    };
  if (method === 'PATCH' && master.patchable) {
    const body = validateBody(state, req.version, master.type, req.body);
    checkIfMatch(state, set, entity, ifMatch);
    state.atomically(() => {
      for (const [k, v] of Object.entries(body)) if (k !== master.key && k !== 'ItemWarehouseInfoCollection') state.assign(entity, k, v);
      state.touch(entity);
    });
    return { status: 204, headers: etagHeader(entity) };
  }
  throw notSupported();
}

/**
 * Rows of a user-defined table (no object): `Code` is the unique key SAP enforces, so inserting a row is an
 * atomic claim; rows can be read, patched and deleted. No ETags: SAP versions only the objects it lists.
 */
function userTableRoute(
  state: EmulatorState,
  req: SlRequest,
  set: string,
  table: UserTable,
  key: string | number | undefined,
  action: string | undefined,
  method: string,
  created: (typeName: string, entity: Entity, k: string | number) => SlResponse,
): SlResponse {
  if (action === '$count' && key === undefined && method === 'GET') return { status: 200, body: table.rows.size };
  if (action) throw badRequest(`Resource not found for the segment '${action}'`);
  if (key === undefined) {
    if (method === 'GET') return { status: 200, ...queryCollection(state, { ...req, path: set }, set, set, table.rows.values()) };
    if (method !== 'POST') throw notSupported();
    const body = validateBody(state, req.version, set, req.body);
    const code = typeof body.Code === 'string' ? body.Code : '';
    if (!code) throw business(`Enter a code [@${table.TableName}.Code]`);
    if (table.rows.has(code)) throw alreadyExists(`@${table.TableName}`);
    const row: Entity = { Name: code, ...body, Code: code };
    state.atomically(() => state.mapSet(table.rows, code, row));
    return created(set, row, code);
  }
  if (typeof key !== 'string') throw notFound();
  const row = table.rows.get(key);
  if (!row) throw notFound();
  if (method === 'GET') return { status: 200, body: render(state, req.version, set, row, parseSelect(state, req.version, set, req.query.get('$select'))) };
  if (method === 'PATCH') {
    const body = validateBody(state, req.version, set, req.body);
    state.atomically(() => {
      for (const [k, v] of Object.entries(body)) if (k !== 'Code') state.assign(row, k, v);
    });
    return { status: 204 };
  }
  if (method === 'DELETE') {
    state.atomically(() => {
      table.rows.delete(key);
    });
    return { status: 204 };
  }
  throw notSupported();
}

function createUserTable(state: EmulatorState, version: SlVersion, raw: unknown): Entity {
  const body = validateBody(state, version, 'UserTablesMD', raw);
  const name = String(body.TableName ?? '');
  // B1 names a user table with up to 19 characters; SAP shows it as @NAME.
  if (!/^[A-Za-z][A-Za-z0-9_]{0,18}$/.test(name)) throw business(`Invalid table name '${name}'`);
  if (state.userTables.has(name)) throw alreadyExists('OUTB');
  const table: UserTable = {
    TableName: name,
    TableDescription: String(body.TableDescription ?? name),
    TableType: String(body.TableType ?? 'bott_NoObject'),
    rows: new Map(),
  };
  state.addUserTable(table);
  return { TableName: table.TableName, TableDescription: table.TableDescription, TableType: table.TableType };
}

function createItem(state: EmulatorState, version: SlVersion, raw: unknown): Entity {
  const body = validateBody(state, version, 'Item', raw);
  const code = String(body.ItemCode ?? '');
  if (!code) throw invalidProperty('ItemCode', 'Item');
  if (state.items.has(code)) throw business(`Item code '${code}' already exists`);
  const today = new Date(state.now()).toISOString().slice(0, 10);
  const item: ItemRecord = {
    InventoryItem: 'tYES',
    SalesItem: 'tYES',
    ManageBatchNumbers: 'tNO',
    ManageSerialNumbers: 'tNO',
    Valid: 'tYES',
    Frozen: 'tNO',
    DefaultWarehouse: [...state.warehouses.keys()][0],
    ...body,
    ItemCode: code,
    ItemName: String(body.ItemName ?? code),
    UpdateDate: today,
    CreateDate: today,
    ItemWarehouseInfoCollection: [...state.warehouses.keys()].map((w) => ({ WarehouseCode: w, InStock: 0, Committed: 0, Ordered: 0, Locked: 'tNO' })),
  } as ItemRecord;
  state.atomically(() => state.addItem(item));
  return item;
}

function createBusinessPartner(state: EmulatorState, version: SlVersion, raw: unknown): Entity {
  const body = validateBody(state, version, 'BusinessPartner', raw);
  const code = String(body.CardCode ?? '');
  if (state.businessPartners.has(code)) {
    throw business(`1320000140 - Business partner code '${code}' already assigned to a business partner; enter a unique business partner code`);
  }
  const bp = { CardType: 'cCustomer', Valid: 'tYES', Frozen: 'tNO', Currency: 'GBP', ...body, CardCode: code };
  state.atomically(() => state.mapSet(state.businessPartners, code, bp));
  return bp;
}

function createShippingType(state: EmulatorState, version: SlVersion, raw: unknown): Entity {
  const body = validateBody(state, version, 'ShippingType', raw);
  const name = String(body.Name ?? '');
  if ([...state.shippingTypes.values()].some((s) => s.Name === name)) throw business(`Shipping type '${name}' already exists`);
  const code = Math.max(0, ...state.shippingTypes.keys()) + 1;
  const st = { ...body, Code: code, Name: name };
  state.atomically(() => state.mapSet(state.shippingTypes, code, st));
  return st;
}

function createUserField(state: EmulatorState, version: SlVersion, raw: unknown): Entity {
  const body = validateBody(state, version, 'UserFieldMD', raw);
  // A field on a user-defined table keeps its @ (TableName '@JLM_LEASE'); a system table has none.
  const given = String(body.TableName ?? '');
  const table = given.startsWith('@') && state.userTables.has(given.slice(1)) ? given : given.replace(/^@/, '');
  const name = String(body.Name ?? '');
  if (!table || !name) throw business('TableName and Name are required');
  if (state.userFields.some((f) => f.TableName === table && f.Name === name)) throw business(`Field 'U_${name}' already exists in table '${table}'`);
  state.addUserField({ Type: 'db_Alpha', Size: 50, ...body, TableName: table, Name: name });
  return state.userFields.find((f) => f.TableName === table && f.Name === name)!;
}

export { SlError };
