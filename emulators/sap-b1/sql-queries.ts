import { SlError, badRequest, business, notFound, sqlQueryNotPermitted, unknownResource, type SlVersion } from './errors';
import { pageBody, pageSize, type CollectionRequest } from './collection';
import type { EmulatorState, Entity, ItemRecord, WarehouseInfo } from './state';
import { validateBody } from './validate';

/** Tables SQLQueries may read (SAP's allow-list, abridged) and the columns the emulator can produce from its state. */
const ALLOWED_TABLES = new Set([
  'OITM',
  'OITW',
  'OIBQ',
  'OBTQ',
  'OBBQ',
  'OBTN',
  'OSRQ',
  'OSRN',
  'ORDR',
  'RDR1',
  'ODLN',
  'DLN1',
  'OINV',
  'INV1',
  'ORIN',
  'RIN1',
  'ORDN',
  'RDN1',
  'ORCT',
  'RCT2',
  'OCRD',
  'CRD1',
  'OPLN',
  'ITM1',
]);
type Column = (item: ItemRecord, whs: WarehouseInfo) => unknown;
const EMULATED: Record<string, { perWarehouse: boolean; columns: Record<string, Column> }> = {
  OITW: {
    perWarehouse: true,
    columns: {
      itemcode: (i) => i.ItemCode,
      whscode: (_, w) => w.WarehouseCode,
      onhand: (_, w) => w.InStock,
      iscommited: (_, w) => w.Committed,
      onorder: (_, w) => w.Ordered,
      locked: (_, w) => (w.Locked === 'tYES' ? 'Y' : 'N'),
    },
  },
  OITM: {
    perWarehouse: false,
    columns: {
      itemcode: (i) => i.ItemCode,
      itemname: (i) => i.ItemName,
      manbtchnum: (i) => (i.ManageBatchNumbers === 'tYES' ? 'Y' : 'N'),
      mansernum: (i) => (i.ManageSerialNumbers === 'tYES' ? 'Y' : 'N'),
      validfor: (i) => (i.Valid === 'tYES' ? 'Y' : 'N'),
      frozenfor: (i) => (i.Frozen === 'tYES' ? 'Y' : 'N'),
    },
  },
};

/** What a per-item table's columns get for the (unused) warehouse. */
const NO_WAREHOUSE: WarehouseInfo = { WarehouseCode: '', InStock: 0, Committed: 0, Ordered: 0 };

interface CompiledQuery {
  table: string;
  columns: { name: string; read: Column }[];
}

/** The emulator understands `SELECT <columns> FROM <table> [alias] [ORDER BY …]` — enough for the stock query over OITW. */
export function compileSql(sql: string): CompiledQuery {
  const m = /^\s*select\s+(.+?)\s+from\s+"?(\w+)"?(?:\s+(?:as\s+)?"?(\w+)"?)?(?:\s+order\s+by\s+.+)?\s*;?\s*$/is.exec(sql);
  if (!m) throw new SlError(400, 701, 'Invalid SQL syntax or unsupported statement');
  const table = m[2]!.toUpperCase();
  if (!ALLOWED_TABLES.has(table)) throw new SlError(400, 702, `Table '${table}' is not allowed in SQL queries`);
  const emulated = EMULATED[table];
  if (!emulated) throw new SlError(400, 701, `The emulator cannot run queries over '${table}'`);
  const columns = m[1]!.split(',').map((raw) => {
    const name = raw
      .trim()
      .replace(/^"?\w+"?\./, '')
      .replace(/"/g, '');
    if (name === '*') throw new SlError(400, 701, "'select *' is not allowed in SQL queries");
    const read = emulated.columns[name.toLowerCase()];
    if (!read) throw new SlError(400, 703, `Column '${name}' of table '${table}' is not allowed`);
    return { name, read };
  });
  return { table, columns };
}

/**
 * Before anything else on SQLQueries: an older Service Layer does not have the entity set at all, and a user
 * or company without the permission is refused every request on it.
 */
export function checkSqlQueryAccess(state: EmulatorState): void {
  if (state.sqlQueryAccess === 'absent') throw unknownResource();
  if (state.sqlQueryAccess === 'not-permitted') throw sqlQueryNotPermitted();
}

export function createSqlQuery(state: EmulatorState, version: SlVersion, rawBody: unknown): Entity {
  const body = validateBody(state, version, 'SQLQuery', rawBody);
  const code = String(body.SqlCode ?? '');
  if (!code) throw badRequest('SqlCode is required');
  if (state.sqlQueries.has(code)) throw business(`SQL query '${code}' already exists`);
  compileSql(String(body.SqlText ?? ''));
  const today = new Date(state.now()).toISOString().slice(0, 10);
  const entity: Entity = {
    SqlCode: code,
    SqlName: body.SqlName ?? code,
    SqlText: body.SqlText,
    ParamList: body.ParamList ?? null,
    CreateDate: today,
    UpdateDate: today,
  };
  state.sqlQueries.set(code, entity);
  return entity;
}

/** Runs a stored query; results are always paged, and only the requested page of rows is built. */
export function listSqlQuery(state: EmulatorState, req: CollectionRequest, code: string): Entity {
  const stored = state.sqlQueries.get(code);
  if (!stored) throw notFound();
  const q = compileSql(String(stored.SqlText));
  // OITW has one row per item and warehouse of the company: a warehouse removed from it has no rows.
  const warehouses = EMULATED[q.table]!.perWarehouse ? [...state.warehouses.keys()] : [null];
  const perItem = warehouses.length;
  const total = state.itemOrder.length * perItem;
  const skip = Number(req.query.get('$skip') ?? 0) || 0;
  const { size } = pageSize(req.headers);
  const end = size > 0 ? Math.min(total, skip + size) : total;
  const rows: Entity[] = [];
  for (let r = skip; r < end; r++) {
    const item = state.items.get(state.itemOrder[Math.floor(r / perItem)]!)!;
    const whs = warehouses[r % perItem]!;
    const info = whs === null ? NO_WAREHOUSE : state.warehouseInfo(item, whs);
    if (!info) continue;
    const row: Entity = {};
    for (const c of q.columns) row[c.name] = c.read(item, info);
    rows.push(row);
  }
  return pageBody(req, `SQLQueries('${code}')/List`, rows, end < total ? end : undefined, undefined, { SqlText: stored.SqlText });
}
